"""PostgreSQL restarted under load: the web server and the worker carry on by themselves, and nobody is told a lie.

Real processes throughout, none restarted by the test: a PostgreSQL cluster of the test's own (initdb, pg_ctl on a
free port; never the shared one), migrated; gunicorn as deployed (persistent connections, health-checked before
reuse); a Celery worker and beat with a redis-server of the test's own; aiosmtpd on loopback, slow enough that the
quarterly mailing is still going when the database goes. Colleagues signed in over HTTP (requests, CSRF and all)
report data leaks while the cluster is stopped with a fast shutdown (every connection cut) and started again.

Shown: every report a colleague saw confirmed (the reference on the confirmation page) is stored exactly once;
every submit that failed said so in Dutch, showed the text, and sending the same submission again (the page's
button) stored it once; pages asked for while the database was away said so; after the restart, sign-in, pages and
reports work on the same processes; the mailing finishes, the server received every copy, each recorded as sent
exactly as the server received it, with at most one repeat (the copy being handed over when the database went).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import threading
import time
from dataclasses import dataclass, field

import pytest
from django.db import connection

from core.tests.processes import app_env, beat, gunicorn, manage, stop, wait_until, worker
from core.tests.servers import AiosmtpdSink, PostgresCluster, RedisServer, free_port

# The test database (empty, migrated) is what the new cluster starts from; the test writes nothing to it.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

COLLEAGUES = 4
REPORTS_EACH = 6
RECIPIENTS = 120
DOWN_SECONDS = 4
PASSWORD = "Herstart-Wachtwoord-2026"
NOT_SAVED = "NIET opgeslagen"  # the 503 page of core: nothing stored, send the same again
NOT_SENT = "Uw melding is NIET verstuurd"  # the report form's own 503 (incidents.views.reporting)
PAGE_AWAY = "Deze pagina is even niet beschikbaar"
FRESH = ("csrfmiddlewaretoken", "idempotency_token")  # what a new form brings

SEED = """
import json
from django.contrib.auth.hashers import make_password
from accounts.models import User
from accounts.tests.factories import DepartmentFactory, OfficerFactory, OrganisationFactory
from programme.models import QuarterlyMailing

org = OrganisationFactory(slug="herstart", name="Gemeente Herstart")
department = DepartmentFactory(organisation=org, name="Burgerzaken")
password = make_password({password!r})
User.objects.bulk_create(
    User(email=f"m{{n}}@herstart.test", full_name=f"Medewerker {{n}}", organisation=org, department=department,
         password=password)
    for n in range({recipients})
)
OfficerFactory(user=User.objects.get(email="m0@herstart.test"), kind="privacy_officer")
mailing = QuarterlyMailing.objects.create(organisation=org, year=2026, quarter=1, subject="Q1", body="Beste collega,")
print(json.dumps({{"department": department.pk, "mailing": mailing.pk}}))
"""

START_MAILING = """
from programme import delivery
from programme.models import QuarterlyMailing
delivery.mailing_start(mailing=QuarterlyMailing.objects.get(pk={mailing}))
"""


@dataclass
class Outcomes:
    confirmed: dict[str, str] = field(default_factory=dict)  # description -> reference seen on the confirmation
    failed_then_resent: list[str] = field(default_factory=list)
    pages_away: int = 0
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no {name} on the page"
    return html.unescape(match.group(1))


def _repost_fields(page: str) -> list[tuple[str, str]]:
    """What the 503 page's "send again" button posts: its form's hidden fields."""
    form = page[page.index("<form") : page.index("</form>")]
    return [
        (html.unescape(name), html.unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', form)
    ]


class Colleague:
    """A person in a browser: signs in, fills in the report form, and on a failure does what the page says."""

    def __init__(self, base: str, email: str, department: int, outcomes: Outcomes) -> None:
        import requests

        self.base, self.email, self.department, self.outcomes = base, email, department, outcomes
        self.http = requests.Session()

    def get(self, path: str):
        """A page, asked again a second later while it says the database is away (as a person reloads)."""
        for _ in range(60):
            response = self.http.get(self.base + path, allow_redirects=False, timeout=30)
            if response.status_code != 503:
                return response
            if PAGE_AWAY not in response.text:
                self.problem(f"GET {path}: a 503 that does not say the page is away")
            with self.outcomes.lock:
                self.outcomes.pages_away += 1
            time.sleep(1)
        raise AssertionError(f"GET {path}: still away after a minute")

    def sign_in(self) -> None:
        page = self.get("/accounts/login/").text
        response = self.http.post(
            self.base + "/accounts/login/",
            data={
                "csrfmiddlewaretoken": _hidden(page, "csrfmiddlewaretoken"),
                "login": self.email,
                "password": PASSWORD,
            },
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302 and "/accounts/login/" not in response.headers["Location"], response.text

    def problem(self, text: str) -> None:
        with self.outcomes.lock:
            self.outcomes.problems.append(f"{self.email}: {text}")

    def report(self, n: int) -> None:
        description = f"Melding {n} van {self.email}: een brief met persoonsgegevens naar het verkeerde adres."
        page = self.get("/datalekken/melden/").text
        now = time.strftime("%Y-%m-%dT%H:%M")
        data = [
            ("csrfmiddlewaretoken", _hidden(page, "csrfmiddlewaretoken")),
            ("idempotency_token", _hidden(page, "idempotency_token")),
            ("category", "email_wrong_recipient"),
            ("description", description),
            ("occurred_at", now),
            ("discovered_at", now),
            ("department", str(self.department)),
            ("data_kinds", "name_address"),
            ("affected_estimate", "1"),
            ("ongoing", "no"),
            ("actions_taken", "Ontvanger gevraagd de brief terug te sturen."),
            ("contact_email", self.email),
        ]
        path = "/datalekken/melden/"
        for _attempt in range(30):
            response = self.http.post(self.base + path, data=data, allow_redirects=False, timeout=30)
            if response.status_code == 302:
                self.confirmation(description, response.headers["Location"])
                return
            if response.status_code != 503:
                self.problem(f"report {n}: answered {response.status_code}")
                return
            text = html.unescape(response.text)
            if not (NOT_SAVED in text or NOT_SENT in text) or description not in text:
                self.problem(f"report {n}: a 503 that does not say it was not saved, or loses the text")
            with self.outcomes.lock:
                self.outcomes.failed_then_resent.append(description)
            if NOT_SAVED in text:
                resent = _repost_fields(response.text)
                if (
                    dict(resent)["idempotency_token"] != dict(data)["idempotency_token"]
                    or (
                        "description",
                        description,
                    )
                    not in resent
                ):
                    self.problem(f"report {n}: the page's button would not send the same submission")
                data = resent
            elif 'name="idempotency_token"' in response.text:  # the form again: "Melding versturen" once more
                data = [(k, _hidden(response.text, k) if k == "idempotency_token" else v) for k, v in data]
            else:  # no database for the form either: its link leads to a new form, the text pasted in again
                time.sleep(1)
                fresh = self.get("/datalekken/melden/").text
                data = [(k, _hidden(fresh, k) if k in FRESH else v) for k, v in data]
            time.sleep(1)  # "send it again in a minute": a second is enough for the test
        self.problem(f"report {n}: never stored")

    def confirmation(self, description: str, location: str) -> None:
        page = self.get(location)
        if page.status_code != 200 or "Dank u, uw melding is ontvangen" not in page.text:
            self.problem(f"{description}: no confirmation page ({page.status_code})")
            return
        reference = re.search(r'data-testid="reference">([^<]+)<', page.text).group(1)
        with self.outcomes.lock:
            self.outcomes.confirmed[description] = reference

    def run(self) -> None:
        try:
            for n in range(REPORTS_EACH):
                self.report(n)
                time.sleep(0.3)
        except Exception as error:  # noqa: BLE001 - reported as a problem of this colleague, the others go on
            self.problem(repr(error))


def _query(url: str, sql: str) -> list[tuple]:
    import psycopg2

    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    db.close()
    return rows


def test_the_app_and_the_worker_ride_out_a_database_restart(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): the test starts a cluster of its own beside it")
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server")
    try:
        cluster = PostgresCluster(free_port())
    except FileNotFoundError as missing:
        pytest.skip(f"needs {missing}")
    redis = RedisServer(free_port(), tmp_path)
    sink = AiosmtpdSink(delay=0.05)
    processes = []
    try:
        cluster.init().start()
        # The test database, migrated as the suite migrated it, copied to the new cluster (a migrate of its own
        # would take a minute on a busy machine).
        cluster.copy_database(connection.settings_dict, "herstart")
        url = cluster.url("herstart")
        env = app_env(
            database_url=url,
            redis_url=redis.start().url,
            email_url=sink.url,
            CONN_MAX_AGE="600",  # persistent connections, as in production: each checked before reuse
            MAILING_STALE_CLAIM_SECONDS="3",
            MAILING_RESUME_SECONDS="1",
            CELERY_VISIBILITY_TIMEOUT="3600",
        )
        # The web server as production runs it (DEBUG off), with the test settings' static files and hashing.
        web_env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings_test", "DJANGO_DEBUG": "false"}
        started = time.monotonic()
        manage(["migrate", "--no-input", "-v", "0"], env, tmp_path / "manage.log")  # nothing (or little) left
        phases = {"migrated": time.monotonic() - started}
        seeded = json.loads(
            manage(
                ["shell", "-c", SEED.format(password=PASSWORD, recipients=RECIPIENTS)], web_env, tmp_path / "manage.log"
            ).splitlines()[-1]  # after the shell's own line about its imports
        )
        phases["seed"] = time.monotonic() - started
        port = free_port()
        processes.append(gunicorn(port, web_env, tmp_path / "web.log"))
        processes.append(worker("worker", env, tmp_path))
        processes.append(beat(env, tmp_path))
        base = f"http://127.0.0.1:{port}"
        outcomes = Outcomes()
        colleagues = [
            Colleague(base, f"m{n + 1}@herstart.test", seeded["department"], outcomes) for n in range(COLLEAGUES)
        ]
        wait_until(lambda: _answers(base), timeout=60, what="gunicorn answers")
        for colleague in colleagues:
            colleague.sign_in()
        phases["signed in"] = time.monotonic() - started

        manage(["shell", "-c", START_MAILING.format(mailing=seeded["mailing"])], env, tmp_path / "manage.log")
        wait_until(lambda: len(sink.addresses()) >= 10, timeout=60, what="the mailing is going")
        threads = [threading.Thread(target=colleague.run) for colleague in colleagues]
        for thread in threads:
            thread.start()
        time.sleep(1.5)  # reports under way
        cluster.stop()
        restarted_with = len({a for a, m in sink.messages() if m.startswith("<mailing-")})
        time.sleep(DOWN_SECONDS)
        cluster.start()
        for thread in threads:
            thread.join(timeout=120)
        phases["reports done"] = time.monotonic() - started
        assert not any(thread.is_alive() for thread in threads), "a colleague is still waiting"

        # After the restart, on the same processes: a new sign-in and a report work at once.
        late = Colleague(base, f"m{COLLEAGUES + 1}@herstart.test", seeded["department"], outcomes)
        late.sign_in()
        late.report(99)

        def mailing_done() -> bool:
            return not _query(
                url, "SELECT 1 FROM programme_mailingrecipient WHERE status IN ('pending', 'sending', 'handed_over')"
            )

        wait_until(mailing_done, timeout=120, what="the mailing finishes")
        phases["mailing done"] = time.monotonic() - started
        print("phases (s):", {name: round(seconds, 1) for name, seconds in phases.items()})
        print(f"failed and sent again: {len(outcomes.failed_then_resent)}, pages away: {outcomes.pages_away}")
        stored = dict(_query(url, "SELECT description, count(*) FROM incidents_dataleak GROUP BY description"))
        references = dict(_query(url, "SELECT description, reference FROM incidents_dataleak"))
        rows = _query(
            url,
            "SELECT u.email, r.status FROM programme_mailingrecipient r JOIN accounts_user u ON u.id = r.user_id",
        )
    finally:
        for process in processes:
            stop(process)
        sink.close()
        redis.stop()
        cluster.remove()
    logs = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in tmp_path.glob("*.log"))
    assert outcomes.problems == [], f"{outcomes.problems}\n{logs}"
    assert outcomes.failed_then_resent or outcomes.pages_away, "nobody met the restart: it proved nothing"
    assert 0 < restarted_with < RECIPIENTS, "the mailing was going when the database went"

    # Every report seen confirmed is stored exactly once, under the reference the colleague saw.
    assert len(outcomes.confirmed) == COLLEAGUES * REPORTS_EACH + 1
    for description, reference in outcomes.confirmed.items():
        assert stored.get(description) == 1, f"{description!r} stored {stored.get(description, 0)} times"
        assert references[description] == reference
    assert sum(stored.values()) == len(outcomes.confirmed), "nothing stored that nobody saw confirmed"

    # The mailing: every copy recorded as sent was received, and everyone got it; one repeat at most (the copy
    # being handed over when the connection went), and a repeat is the same message.
    received = [(address, message_id) for address, message_id in sink.messages() if message_id.startswith("<mailing-")]
    addresses = [address for address, _ in received]
    assert len(rows) == RECIPIENTS and {status for _, status in rows} == {"sent"}
    assert {email for email, _ in rows} == set(addresses), "sent means received, and nobody is lost"
    assert len(addresses) - len(set(addresses)) <= 1
    for address in {a for a in addresses if addresses.count(a) > 1}:
        assert len({m for a, m in received if a == address}) == 1, "a repeat carries the same Message-ID"


def _answers(base: str) -> bool:
    import requests

    try:
        return requests.get(base + "/health/", timeout=2).status_code == 200
    except requests.RequestException:
        return False
