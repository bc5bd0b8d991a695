"""Measure the filled benchmark database, section by section (``--only``; bench/run.sh's BENCH_ONLY).

Run through bench/run.sh (it sets the production-like environment). Pages are timed over HTTP against the
documented gunicorn command (``gunicorn_command``) with DEBUG off; the query count of each page is measured
in-process with the test client against the same database. Sections: ``floor`` (the floor page against the bare
page of ``bench.settings_bare``), ``pages``, ``mailing`` (a real Celery worker and Redis), ``intake`` (the data-leak
form under load) and ``two_servers``. A new section is its name in ``SECTIONS``, one
``self._section(result, name, measure)`` call in ``handle`` and its paragraph in ``_markdown``.
"""

from __future__ import annotations

import difflib
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation, User
from bench import exports_bench
from bench.fixtures import LOAD_USERS, ORGANISATIONS, bench_email

RESULTS_DIR = Path(settings.BASE_DIR) / "bench" / "results"
FLOOR = "floor: preferences (/mensen/voorkeuren/)"
# The department dashboard as its first viewer after a rollup sees it: before each request the rollup gets a new
# moment (its counts unchanged), so the page's cached dashboard and fragments are built anew, as after beat's run.
FIRST_AFTER_ROLLUP = "manager department dashboard, first view after a rollup"
BARE_URL = "/bench/kaal/"
# Every main page within 5x the floor; the floor within 4x the bare page (session and authentication only).
TARGET_RATIO = 5.0
FLOOR_TARGET_RATIO = 4.0
INTAKE_P95_TARGET_MS = 1000.0
# The sections a run can measure (BENCH_ONLY / --only picks some); "pages" includes the query counts.
SECTIONS = ("floor", "pages", "mailing", "intake", "capacity", "two_servers", "exports")
# The rush after a phishing wave: the 50 users arrive within the first 8 seconds; each reads the form before
# posting it, and reads the confirmation before the next report; a pause drawn from this range (seconds) each time. People take half a
# minute or more to fill in a report, so this is several times the pace of a real rush. The capacity run drops
# the pauses (every user posts as fast as the server answers) to show what the two workers can take; it has no target.
INTAKE_THINK_SECONDS = (2.0, 8.0)
CAPACITY_SECONDS = 30
# The production command as the README documents it (Deployment): threaded workers, so a request waiting on
# PostgreSQL or Redis does not hold a whole process.
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
GUNICORN_THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))


def gunicorn_command(port: int) -> list[str]:
    return [
        str(Path(sys.executable).with_name("gunicorn")),
        "config.wsgi",
        "--workers",
        str(GUNICORN_WORKERS),
        "--threads",
        str(GUNICORN_THREADS),
        "--worker-class",
        "gthread",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]


def _session_client(user: User) -> Client:
    """A test client signed in as ``user`` with the second factor done (as conftest._mfa_session does)."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    from accounts.permissions import requires_mfa

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    records = [{"method": "password", "at": time.time(), "email": user.email}]
    if requires_mfa(user):
        records.append({"method": "mfa", "at": time.time(), "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()
    return client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port: int, method: str, path: str, cookies: dict[str, str], body: str | None = None, timeout=120):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Host": "127.0.0.1"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{port}{path}"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, response.getheaders(), data
    finally:
        conn.close()


def _shape(sql: str) -> str:
    """A statement with its numbers and quoted values masked, to compare runs on different data."""
    return re.sub(r"'[^']*'", "'?'", re.sub(r"\b\d+\b", "N", sql))[:400]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[index]


def _meminfo() -> dict[str, int]:
    info = {}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            key, value = line.split(":", 1)
            if key in ("MemTotal", "MemAvailable"):
                info[key] = int(value.split()[0]) // 1024
    except OSError:
        pass
    return info


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Command(BaseCommand):
    help = "Measure the benchmark database (see bench/run.sh)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=float, required=True, help="The scale bench_fill used (for the record).")
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--pages-only", action="store_true", help="Pages and query counts only.")
        parser.add_argument("--final", action="store_true", help="Also the mailing and the load test.")
        parser.add_argument("--load-seconds", type=int, default=60)
        parser.add_argument("--load-users", type=int, default=LOAD_USERS)
        parser.add_argument(
            "--only",
            default="",
            help=f"Comma-separated sections to measure, of {', '.join(SECTIONS)} (default: all with --final).",
        )
        parser.add_argument("--floor-requests", type=int, default=150)

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs against PostgreSQL (set DATABASE_URL).")
        if settings.DEBUG:
            raise CommandError("Run with DJANGO_DEBUG=false (bench/run.sh does).")
        self.options = options
        self.scale = options["scale"]
        started = time.monotonic()
        slug = ORGANISATIONS[0][0]
        self.org = Organisation.objects.get(slug=slug)
        self.users = {
            role: User.objects.get(email=bench_email(role, slug))
            for role in ("ciso", "privacy_officer", "manager", "ambassador", "staff")
        }
        self.clients = {role: _session_client(user) for role, user in self.users.items()}
        self.wanted = self._wanted_sections(options)
        result: dict = {
            "scale": self.scale,
            "started_at": timezone.now().isoformat(),
            "machine": {"cpu_count": os.cpu_count(), **_meminfo(), "python": sys.version.split()[0]},
            "server": " ".join(["gunicorn", *gunicorn_command(0)[1:-6], "--timeout", "120"]),
            "sections": list(self.wanted),
            "counts": self._counts(),
        }
        self._fresh_rollups()
        pages = self._pages()
        if "pages" in self.wanted:
            result["queries"] = self._query_counts(pages)
        port = _free_port()
        server = self._start_gunicorn(port)
        try:
            # One call per section: each returns its dict for the results (and its paragraph in _markdown).
            self._section(result, "floor", lambda: self._floor(port))
            self._section(result, "pages", lambda: self._time_pages(port, pages, result["queries"]))
            self._section(result, "mailing", self._mailing)
            self._section(result, "intake", lambda: self._intake(port, think=INTAKE_THINK_SECONDS))
            self._section(result, "capacity", lambda: self._intake(port, think=None, seconds=CAPACITY_SECONDS))
            self._section(result, "two_servers", lambda: self._two_servers(port))
        finally:
            self._stop(server)
        # The register's export: first byte and the worker's memory, each download on a fresh worker.
        self._section(
            result,
            "exports",
            lambda: exports_bench.run(self.users["privacy_officer"], self._cookies("privacy_officer")),
        )
        if "queries" in result:
            result["query_comparison"] = self._compare_queries(result["queries"])
        result["seconds"] = round(time.monotonic() - started, 1)
        self._write(result)

    def _wanted_sections(self, options) -> tuple[str, ...]:
        if options["only"]:
            wanted = tuple(name.strip() for name in options["only"].split(",") if name.strip())
            unknown = set(wanted) - set(SECTIONS)
            if unknown:
                raise CommandError(f"Unknown sections {sorted(unknown)}; known: {', '.join(SECTIONS)}")
            return wanted
        if options["pages_only"]:
            return ("pages",)
        return SECTIONS if options["final"] else ("floor", "pages")

    def _section(self, result: dict, name: str, measure) -> None:
        if name in self.wanted:
            self.stdout.write(f"== {name}")
            result[name] = measure()

    # --- what is measured ------------------------------------------------------------------------

    def _counts(self) -> dict[str, int]:
        from ambassadors.models import Activity, Appointment, Feedback
        from evaluation.surveys.models import Answer
        from incidents.models import DataLeak
        from training.models import Enrolment, TrainingSession

        models = {
            "employees": User,
            "appointments": Appointment,
            "activities": Activity,
            "feedback": Feedback,
            "data_leaks": DataLeak,
            "training_sessions": TrainingSession,
            "enrolments": Enrolment,
            "survey_answers": Answer,
        }
        counts = {name: model.objects.count() for name, model in models.items()}
        counts["organisations"] = Organisation.objects.count()
        counts["departments"] = self.org.departments.count()
        return counts

    def _pages(self) -> list[tuple[str, str, str]]:
        from evaluation.surveys.models import Survey

        top = self.users["manager"].managed_departments.first()
        survey = Survey.objects.filter(organisation=self.org).order_by("pk").first()
        year = timezone.localdate().year
        pages = [
            (FLOOR, "staff", "/mensen/voorkeuren/"),
            ("officer programme dashboard", "ciso", "/evaluatie/programma/"),
            ("manager department dashboard (top level)", "manager", f"/evaluatie/afdeling/{top.pk}/"),
            (FIRST_AFTER_ROLLUP, "manager", f"/evaluatie/afdeling/{top.pk}/"),
            ("data-leak register", "privacy_officer", "/datalekken/register/"),
            ("data-leak report queue", "privacy_officer", "/datalekken/behandelen/"),
            ("activity list (ambassador)", "ambassador", "/ambassadeurs/activiteiten/"),
            ("feedback list (officer)", "ciso", "/ambassadeurs/feedback/"),
            ("feedback list (ambassador)", "ambassador", "/ambassadeurs/feedback/"),
            ("plan year view", "ciso", f"/programma/jaarplan/{year}/"),
            ("training overview", "ambassador", "/training/"),
            ("training progress (officer)", "ciso", "/training/voortgang/"),
            ("training progress (manager)", "manager", "/training/voortgang/"),
            ("data-leak report form", "staff", "/datalekken/melden/"),
        ]
        if survey is not None:
            pages.append(("survey results", "ciso", f"/evaluatie/enquetes/{survey.pk}/resultaten/"))
        return pages

    def _fresh_rollups(self) -> None:
        """The dashboards read a rollup that beat keeps fresh on a running server; a reused database's is renewed."""
        from evaluation.dashboards import rollup

        if rollup.fresh(self.org.pk) is None:
            rollup.refresh_all()

    def _before_request(self, name: str) -> None:
        if name == FIRST_AFTER_ROLLUP:
            from evaluation.dashboards.rollup import Rollup

            Rollup.objects.filter(organisation=self.org).update(computed_at=timezone.now())

    def _query_counts(self, pages) -> dict[str, int]:
        counts, shapes = {}, {}
        for name, role, url in pages:
            client = self.clients[role]
            for _ in range(2):  # the second request: caches warm, as on a running server
                self._before_request(name)
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{name}: {url} as {role} answered {response.status_code}")
            counts[name] = len(captured.captured_queries)
            shapes[name] = [_shape(query["sql"]) for query in captured.captured_queries]
        # The statements themselves, numbers masked: when the counts differ between scales, the diff shows which.
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        (RESULTS_DIR / f"queries-scale-{self.scale}.json").write_text(json.dumps(shapes, indent=1))
        return counts

    def _start_gunicorn(self, port: int, settings_module: str = "config.settings") -> subprocess.Popen:
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}
        process = subprocess.Popen(  # noqa: S603
            gunicorn_command(port), cwd=settings.BASE_DIR, env=environment, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _headers, _body = _request(port, "GET", "/accounts/login/", {})
                if status < 500:  # the bare settings know no sign-in page: any answer means it is up
                    return process
            except OSError:
                time.sleep(0.3)
        self._stop(process)
        raise CommandError("gunicorn did not start")

    def _stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def _cookies(self, role: str) -> dict[str, str]:
        return {settings.SESSION_COOKIE_NAME: self.clients[role].cookies[settings.SESSION_COOKIE_NAME].value}

    def _time_pages(self, port: int, pages, queries: dict[str, int]) -> list[dict]:
        rows = []
        for name, role, url in pages:
            cookies = self._cookies(role)
            timings = []
            for i in range(self.options["warmup"] + self.options["requests"]):
                self._before_request(name)
                t0 = time.perf_counter()
                status, _headers, body = _request(port, "GET", url, cookies)
                elapsed = (time.perf_counter() - t0) * 1000
                if status != 200:
                    raise CommandError(f"{name}: {url} as {role} answered {status} under gunicorn")
                if i >= self.options["warmup"]:
                    timings.append(elapsed)
            rows.append(
                {
                    "page": name,
                    "url": url,
                    "role": role,
                    "median_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(_percentile(timings, 0.95), 1),
                    "bytes": len(body),
                    "queries": queries[name],
                }
            )
            self.stdout.write(f"  {name}: {rows[-1]['median_ms']} ms")
        floor = rows[0]["median_ms"]
        for row in rows:
            row["ratio_to_floor"] = round(row["median_ms"] / floor, 1)
            row["within_target"] = row["ratio_to_floor"] <= TARGET_RATIO
        return rows

    # --- the floor against the bare page ---------------------------------------------------------

    def _floor(self, port: int) -> dict:
        """The bare page through session and authentication only (a second gunicorn, ``bench.settings_bare``),
        the same page through the app's whole middleware stack, and the floor page; taken in turns so that the
        machine's other load falls on all three alike."""
        bare_port = _free_port()
        bare_server = self._start_gunicorn(bare_port, "bench.settings_bare")
        cookies = self._cookies("staff")
        targets = [
            ("bare page, session and authentication middleware only", bare_port, BARE_URL),
            ("bare page, the app's whole middleware stack", port, BARE_URL),
            (FLOOR, port, "/mensen/voorkeuren/"),
        ]
        timings: dict[str, list[float]] = {name: [] for name, _port, _url in targets}
        try:
            for i in range(self.options["warmup"] + self.options["floor_requests"]):
                for name, target_port, url in targets:
                    t0 = time.perf_counter()
                    status, _headers, body = _request(target_port, "GET", url, cookies)
                    elapsed = (time.perf_counter() - t0) * 1000
                    if status != 200:
                        raise CommandError(f"{name}: {url} answered {status}")
                    if i >= self.options["warmup"]:
                        timings[name].append(elapsed)
        finally:
            self._stop(bare_server)
        rows = [
            {
                "page": name,
                "median_ms": round(statistics.median(values), 2),
                "p95_ms": round(_percentile(values, 0.95), 2),
            }
            for name, values in timings.items()
        ]
        bare = rows[0]["median_ms"]
        for row in rows:
            row["ratio_to_bare"] = round(row["median_ms"] / bare, 1)
        result = {
            "requests": self.options["floor_requests"],
            "rows": rows,
            "floor_ratio_to_bare": rows[-1]["ratio_to_bare"],
            "target_ratio": FLOOR_TARGET_RATIO,
        }
        result["within_target"] = result["floor_ratio_to_bare"] <= FLOOR_TARGET_RATIO
        for row in rows:
            self.stdout.write(f"  {row['page']}: {row['median_ms']} ms ({row['ratio_to_bare']}x bare)")
        return result

    # --- the quarterly mailing -------------------------------------------------------------------

    def _flush_broker(self) -> None:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).flushdb()

    def _mailing(self) -> dict:
        from config.celery import app
        from programme.delivery import mailing_start
        from programme.models import MailingRecipient, QuarterlyMailing

        if not settings.REDIS_URL:
            raise CommandError("The mailing needs REDIS_URL (a real broker).")
        self._flush_broker()
        mail_dir = Path(settings.EMAIL_FILE_PATH)
        mail_dir.mkdir(parents=True, exist_ok=True)
        for old in mail_dir.glob("*.log"):
            old.unlink()
        worker = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-l",
                "warning",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=settings.BASE_DIR,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not app.control.ping(timeout=1):
                time.sleep(0.5)
            today = timezone.localdate()
            # A second run against the same database replaces this quarter's mailing.
            QuarterlyMailing.objects.filter(
                organisation=self.org, year=today.year, quarter=(today.month - 1) // 3 + 1
            ).delete()
            mailing = QuarterlyMailing.objects.create(
                organisation=self.org,
                year=today.year,
                quarter=(today.month - 1) // 3 + 1,
                subject="De onderwerpen van dit kwartaal",
                body="Beste collega, dit kwartaal staan phishing en veilig thuiswerken centraal.",
            )
            t0 = time.monotonic()
            recorded = mailing_start(mailing=mailing)
            t_recorded = time.monotonic() - t0
            peak = 0.0
            samples = []
            deadline = time.monotonic() + 900
            while time.monotonic() < deadline:
                hwm = _vm_hwm_mb(worker.pid) or 0.0
                peak = max(peak, hwm)
                done = MailingRecipient.objects.filter(mailing=mailing, status=MailingRecipient.Status.SENT).count()
                samples.append((round(time.monotonic() - t0, 1), done, round(hwm, 1)))
                if QuarterlyMailing.objects.filter(pk=mailing.pk, sent_at__isnull=False).exists():
                    break
                if worker.poll() is not None:
                    raise CommandError("the Celery worker died during the mailing")
                time.sleep(1)
            wall = time.monotonic() - t0
            peak = max(peak, _vm_hwm_mb(worker.pid) or 0.0)
        finally:
            self._stop(worker)
        progress = MailingRecipient.objects.filter(mailing=mailing).progress()
        first_last = MailingRecipient.objects.filter(mailing=mailing, sent_at__isnull=False).values_list(
            "sent_at", flat=True
        )
        first, last = first_last.order_by("sent_at").first(), first_last.order_by("-sent_at").first()
        delivery_seconds = (last - first).total_seconds() if first and last else None
        messages = sum(p.read_text(errors="replace").count("\nMessage-ID: ") for p in mail_dir.glob("*.log"))
        employees = User.objects.filter(organisation=self.org, is_active=True).count()
        result = {
            "employees": employees,
            "recipients": recorded,
            "opted_out": employees - recorded,
            "sent": progress["sent"],
            "failed": progress["failed"],
            "messages_in_files": messages,
            "recording_seconds": round(t_recorded, 1),
            "wall_seconds": round(wall, 1),
            "delivery_seconds": round(delivery_seconds, 1) if delivery_seconds else None,
            "mails_per_second_wall": round(progress["sent"] / wall, 1) if wall else None,
            "mails_per_second_delivery": round(progress["sent"] / delivery_seconds, 1) if delivery_seconds else None,
            "worker_peak_mb": round(peak, 1),
            "samples": samples[:: max(1, len(samples) // 20)],
        }
        result["within_target"] = bool(
            result["worker_peak_mb"] < 300
            and (result["mails_per_second_wall"] or 0) >= 200
            and result["sent"] == recorded
        )
        self.stdout.write(f"  mailing: {result['sent']} mails, {result['mails_per_second_wall']}/s, {peak:.0f} MB")
        return result

    # --- the report form under load --------------------------------------------------------------

    def _intake(self, port: int, *, think: tuple[float, float] | None, seconds: int | None = None) -> dict:
        """50 users reporting at once; ``think``: the pause range of each user (they arrive within its upper
        bound), or None: all start together and post as fast as the server answers (the capacity run)."""
        import random

        from incidents.models import DataLeak

        self._flush_broker()
        slug = ORGANISATIONS[0][0]
        users = [User.objects.get(email=bench_email(f"load{i}", slug)) for i in range(self.options["load_users"])]
        sessions = [(user, _session_client(user).cookies[settings.SESSION_COOKIE_NAME].value) for user in users]
        before = DataLeak.objects.filter(organisation=self.org).count()
        seconds = seconds or self.options["load_seconds"]
        stop_at = time.monotonic() + seconds
        lock = threading.Lock()
        stats = {"requests": 0, "errors": 0, "submitted": 0, "double_posts": 0, "double_post_mismatch": 0}
        errors: list[str] = []
        accepted: dict[str, int] = {}
        latencies: list[float] = []
        token_re = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
        idem_re = re.compile(rb'name="idempotency_token" value="([^"]+)"')
        received_re = re.compile(r"/datalekken/(\d+)/ontvangen/")

        def call(method, path, cookies, body=None):
            t0 = time.perf_counter()
            try:
                status, headers, data = _request(port, method, path, cookies, body)
            except OSError as exc:
                status, headers, data = 0, [], str(exc).encode()
            with lock:
                stats["requests"] += 1
                latencies.append((time.perf_counter() - t0) * 1000)
            return status, headers, data

        def fail(message: str) -> None:
            with lock:
                stats["errors"] += 1
                if len(errors) < 20:
                    errors.append(message)

        def user_loop(user: User, session_id: str, index: int) -> None:
            cookies = {settings.SESSION_COOKIE_NAME: session_id}
            pace = random.Random(index)  # a reproducible pause, not a secret

            def pause() -> None:
                if think is not None:
                    time.sleep(min(pace.uniform(*think), max(0.0, stop_at - time.monotonic())))

            if think is not None:
                # Users arrive over the first pause, as a rush does (a mailing read, a phishing wave noticed),
                # not all in the same millisecond.
                time.sleep(pace.uniform(0, think[1]))
            n = 0
            while time.monotonic() < stop_at:
                status, headers, data = call("GET", "/datalekken/melden/", cookies)
                if status != 200:
                    fail(f"GET {status}")
                    continue
                for key, value in headers:
                    if key.lower() == "set-cookie" and value.startswith(f"{settings.CSRF_COOKIE_NAME}="):
                        cookies[settings.CSRF_COOKIE_NAME] = value.split(";", 1)[0].split("=", 1)[1]
                csrf, idem = token_re.search(data), idem_re.search(data)
                if not csrf or not idem:
                    fail("form without tokens")
                    continue
                moment = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
                token = idem.group(1).decode()
                body = urllib.parse.urlencode(
                    {
                        "csrfmiddlewaretoken": csrf.group(1).decode(),
                        "idempotency_token": token,
                        "category": "email_wrong_recipient",
                        "description": f"Belastproef: e-mail naar de verkeerde ontvanger ({index}-{n}).",
                        "occurred_at": moment,
                        "discovered_at": moment,
                        "department": user.department_id,
                        "data_kinds": "name_address",
                        "affected_estimate": "1",
                        "ongoing": "no",
                        "contact_email": user.email,
                    }
                )
                pause()  # reading and filling in the form
                posts = 2 if n % 3 == 1 else 1  # every third report is posted twice (a double click)
                pks = []
                for _ in range(posts):
                    status, headers, _data = call("POST", "/datalekken/melden/", cookies, body)
                    location = {k.lower(): v for k, v in headers}.get("location", "")
                    match = received_re.search(location)
                    if status != 302 or not match:
                        fail(f"POST {status} {location[:60]}")
                        break
                    pks.append(int(match.group(1)))
                n += 1
                pause()  # reading the confirmation
                if not pks:
                    continue
                with lock:
                    stats["submitted"] += 1
                    accepted[token] = pks[0]
                    if len(pks) == 2:
                        stats["double_posts"] += 1
                        if pks[0] != pks[1]:
                            stats["double_post_mismatch"] += 1

        threads = [
            threading.Thread(target=user_loop, args=(user, sid, i), daemon=True)
            for i, (user, sid) in enumerate(sessions)
        ]
        t0 = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 180)
        wall = time.monotonic() - t0
        after = DataLeak.objects.filter(organisation=self.org).count()
        stored = DataLeak.objects.filter(idempotency_token__in=[uuid.UUID(t) for t in accepted]).values_list(
            "idempotency_token", "pk"
        )
        stored_map = {str(token): pk for token, pk in stored}
        lost = [t for t in accepted if t not in stored_map]
        mismatched = [t for t, pk in accepted.items() if stored_map.get(t) not in (None, pk)]
        new_rows = after - before
        result = {
            "users": len(sessions),
            "think_seconds": list(think) if think else None,
            "seconds": round(wall, 1),
            "requests": stats["requests"],
            "requests_per_second": round(stats["requests"] / wall, 1),
            "reports_submitted": stats["submitted"],
            "reports_per_second": round(stats["submitted"] / wall, 1),
            "double_posts": stats["double_posts"],
            "double_posts_stored_twice": stats["double_post_mismatch"],
            "errors": stats["errors"],
            "error_samples": errors,
            "new_rows": new_rows,
            "lost": len(lost),
            "duplicated": new_rows - (len(accepted) - len(lost)),
            "mismatched": len(mismatched),
            "median_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_ms": round(_percentile(latencies, 0.95), 1) if latencies else None,
            "p99_ms": round(_percentile(latencies, 0.99), 1) if latencies else None,
            "p95_target_ms": INTAKE_P95_TARGET_MS,
        }
        result["within_target"] = (
            result["p95_ms"] is not None
            and result["p95_ms"] < INTAKE_P95_TARGET_MS
            and result["errors"] == 0
            and result["lost"] == 0
            and result["duplicated"] == 0
            and result["mismatched"] == 0
            and result["double_posts_stored_twice"] == 0
        )
        self._flush_broker()
        if think is None:
            result["within_target"] = None  # the capacity run: what the workers take, no target
        self.stdout.write(
            f"  intake ({'paced' if think else 'flat out'}): {result['requests_per_second']} req/s, "
            f"p95 {result['p95_ms']} ms, {result['errors']} errors"
        )
        return result

    # --- two web servers ------------------------------------------------------------------------

    def _two_servers(self, port: int) -> dict:
        """A second gunicorn on another port, the same PostgreSQL and Redis: what must hold across both."""
        from incidents.models import DataLeak

        other = _free_port()
        second = self._start_gunicorn(other)
        checks: dict[str, dict] = {}
        try:
            for name, target in (("a", port), ("b", other)):
                status, _headers, body = _request(target, "GET", "/health/", {})
                checks[f"health_{name}"] = {"ok": status == 200, "detail": f"{status} {body[:120].decode()}"}
            checks["session"] = self._signed_in_on_one_continues_on_other(port, other)
            checks["submission_token"] = self._token_across(port, other, DataLeak)
            checks["rate_limit"] = self._rate_limit_across(port, other)
        finally:
            self._stop(second)
        checks["job_lock"] = self._lock_across_processes()
        result = {"ports": [port, other], "checks": checks}
        result["within_target"] = all(check["ok"] for check in checks.values())
        for name, check in checks.items():
            self.stdout.write(f"  {name}: {'ok' if check['ok'] else 'FAILED'} ({check['detail']})")
        return result

    @staticmethod
    def _set_cookies(cookies: dict[str, str], headers) -> None:
        for key, value in headers:
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name] = rest.split(";", 1)[0]

    def _sign_in(self, port: int, email: str, password: str) -> tuple[int, dict[str, str]]:
        cookies: dict[str, str] = {}
        status, headers, body = _request(port, "GET", "/accounts/login/", cookies)
        self._set_cookies(cookies, headers)
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "login": email, "password": password})
        status, headers, _body = _request(port, "POST", "/accounts/login/", cookies, form)
        self._set_cookies(cookies, headers)
        return status, cookies

    def _signed_in_on_one_continues_on_other(self, port: int, other: int) -> dict:
        from bench.fixtures import BENCH_PASSWORD

        status, cookies = self._sign_in(port, self.users["staff"].email, BENCH_PASSWORD)
        if status != 302:
            return {"ok": False, "detail": f"sign-in on server A answered {status}"}
        status_b, _headers, body = _request(other, "GET", "/mensen/voorkeuren/", cookies)
        ok = status_b == 200 and self.users["staff"].full_name.encode() in body
        return {"ok": ok, "detail": f"signed in on A (302), preferences on B: {status_b}"}

    def _token_across(self, port: int, other: int, model) -> dict:
        """The form from server A, posted to B, then the same post again to A (a double click across a
        load balancer): one report stored, and both answers lead to it."""
        cookies = self._cookies("staff")
        status, headers, body = _request(port, "GET", "/datalekken/melden/", cookies)
        self._set_cookies(cookies, headers)
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        token = re.search(rb'name="idempotency_token" value="([^"]+)"', body).group(1).decode()
        moment = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "idempotency_token": token,
                "category": "email_wrong_recipient",
                "description": "Twee servers: e-mail naar de verkeerde ontvanger.",
                "occurred_at": moment,
                "discovered_at": moment,
                "department": self.users["staff"].department_id,
                "data_kinds": "name_address",
                "affected_estimate": "1",
                "ongoing": "no",
                "contact_email": self.users["staff"].email,
            }
        )
        answers = []
        for target in (other, port):
            status, headers, _body = _request(target, "POST", "/datalekken/melden/", cookies, form)
            answers.append((status, {k.lower(): v for k, v in headers}.get("location", "")))
        stored = model.objects.filter(idempotency_token=uuid.UUID(token)).count()
        ok = stored == 1 and all(status == 302 for status, _location in answers) and answers[0][1] == answers[1][1]
        return {"ok": ok, "detail": f"posted to B then A: {answers}, rows stored {stored}"}

    def _rate_limit_across(self, port: int, other: int) -> dict:
        """Wrong passwords for one account, alternately on A and B: the account's limit counts them together,
        so the right password is refused after five wrong ones in all, not five on each server."""
        from bench.fixtures import BENCH_PASSWORD

        email = bench_email(f"load{self.options['load_users'] - 1}")
        # Count from zero: the limits live in the cache, which another run may have left counting.
        from django.core.cache import cache

        cache.clear()
        limit = int(settings.ACCOUNT_RATE_LIMITS["login_failed_account_address"].split("/")[0])
        for attempt in range(limit):
            self._sign_in((port, other)[attempt % 2], email, "not-the-password")
        status, _cookies = self._sign_in((port, other)[limit % 2], email, BENCH_PASSWORD)
        cache.clear()
        return {
            "ok": status != 302,
            "detail": f"{limit} wrong passwords alternately on A and B, then the right one: "
            f"{'refused' if status != 302 else 'signed in'} ({status})",
        }

    def _lock_across_processes(self) -> dict:
        """Two processes (as two servers' beat or workers would) take the same scheduled-job lock at once."""
        code = (
            "import time; from core.locks import single_run\n"
            "with single_run('bench-two-servers', ttl=30) as got:\n"
            "    print(got, flush=True); time.sleep(3)\n"
        )
        command = [sys.executable, "manage.py", "shell", "-v", "0", "-c", code]
        processes = [
            subprocess.Popen(command, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, text=True)  # noqa: S603
            for _ in range(2)
        ]
        outputs = [process.communicate(timeout=120)[0].strip().splitlines()[-1:] for process in processes]
        got = [lines[0] if lines else "?" for lines in outputs]
        return {"ok": sorted(got) == ["False", "True"], "detail": f"two processes took the lock: {got}"}

    def _two_servers_markdown(self, two: dict) -> str:
        labels = {
            "health_a": "/health/ on server A",
            "health_b": "/health/ on server B",
            "session": "signed in on A, continued on B",
            "submission_token": "a report's form from A posted to B and again to A",
            "rate_limit": "failed sign-ins counted across A and B",
            "job_lock": "a scheduled-job lock taken by two processes at once",
        }
        parts = [
            f"{labels.get(name, name)}: {'held' if check['ok'] else 'FAILED'} ({check['detail']})"
            for name, check in two["checks"].items()
        ]
        verdict = "met" if two["within_target"] else "MISSED"
        return (
            f"Two web servers (gunicorn on ports {two['ports'][0]} and {two['ports'][1]}, one PostgreSQL, one "
            f"Redis): " + "; ".join(parts) + f". Target (all hold): {verdict}."
        )

    # --- output ----------------------------------------------------------------------------------

    def _compare_queries(self, queries: dict[str, int]) -> dict:
        others = {}
        for path in sorted(RESULTS_DIR.glob("bench-scale-*.json")):
            data = json.loads(path.read_text())
            if data.get("scale") != self.scale and data.get("queries"):
                others[str(data["scale"])] = data["queries"]
        differences = {
            scale: {
                page: {"here": count, "there": other.get(page)}
                for page, count in queries.items()
                if other.get(page) is not None and other.get(page) != count
            }
            for scale, other in others.items()
        }
        return {
            "compared_with_scales": list(others),
            "differences": differences,
            "equal": bool(others) and not any(differences.values()),
        }

    def _write(self, result: dict) -> None:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        # A run of some sections only (BENCH_ONLY) leaves the full run's files alone.
        name = f"partial-scale-{self.scale}" if self.options["only"] else f"bench-scale-{self.scale}"
        (RESULTS_DIR / f"{name}.json").write_text(json.dumps(result, indent=2, default=str))
        markdown = self._markdown(result)
        (RESULTS_DIR / f"{name}.md").write_text(markdown)
        if self.options["final"] and not self.options["only"]:
            (RESULTS_DIR / "latest.json").write_text(json.dumps(result, indent=2, default=str))
            (RESULTS_DIR / "latest.md").write_text(markdown)
        self.stdout.write(markdown)
        comparison = result.get("query_comparison") or {"compared_with_scales": []}
        # The last scale of a run fails it when the counts differ from the scales measured before it.
        if self.options["final"] and comparison["compared_with_scales"] and not comparison["equal"]:
            for scale, pages in comparison["differences"].items():
                other = RESULTS_DIR / f"queries-scale-{scale}.json"
                if pages and other.exists():
                    here = json.loads((RESULTS_DIR / f"queries-scale-{self.scale}.json").read_text())
                    there = json.loads(other.read_text())
                    for page in pages:
                        diff = difflib.unified_diff(there.get(page, []), here.get(page, []), scale, str(self.scale))
                        self.stderr.write(f"{page}:\n" + "\n".join(diff))
            raise CommandError(f"Query counts differ between scales: {comparison['differences']}")

    def _markdown(self, result: dict) -> str:
        machine = result["machine"]
        lines = [
            f"# Benchmark, scale {result['scale']} ({result['started_at'][:16]})",
            "",
            f"Machine: {machine['cpu_count']} cores, {machine.get('MemTotal', '?')} MB memory "
            f"({machine.get('MemAvailable', '?')} MB available), Python {machine['python']}; "
            f"{result['server']}, DEBUG off, PostgreSQL and Redis on loopback. "
            f"Sections: {', '.join(result['sections'])}.",
            "",
            "Data (both organisations): "
            + ", ".join(f"{name.replace('_', ' ')} {count:,}" for name, count in result["counts"].items())
            + ".",
        ]
        floor = result.get("floor")
        if floor:
            lines += [
                "",
                f"The floor against the bare page (median of {floor['requests']} requests each, taken in turns; "
                "the bare page renders a one-line template with the user's name):",
                "",
                "| page | median ms | p95 ms | ratio to bare |",
                "|---|---:|---:|---:|",
            ]
            for row in floor["rows"]:
                lines.append(f"| {row['page']} | {row['median_ms']} | {row['p95_ms']} | {row['ratio_to_bare']} |")
            lines += [
                "",
                f"Floor: **{floor['floor_ratio_to_bare']}x** the bare page. Target (within "
                f"{floor['target_ratio']:.0f}x): {'met' if floor['within_target'] else 'MISSED'}.",
            ]
        if result.get("pages"):
            lines += [
                "",
                "| page | median ms | p95 ms | queries | ratio to floor |",
                "|---|---:|---:|---:|---:|",
            ]
            for row in result["pages"]:
                flag = "" if row["within_target"] else f" (over {TARGET_RATIO:.0f}x)"
                lines.append(
                    f"| {row['page']} | {row['median_ms']} | {row['p95_ms']} | {row['queries']} | "
                    f"{row['ratio_to_floor']}{flag} |"
                )
        comparison = result.get("query_comparison")
        if comparison:
            lines.append("")
            if comparison["compared_with_scales"]:
                verdict = "equal" if comparison["equal"] else f"DIFFERENT: {comparison['differences']}"
                lines.append(
                    f"Query counts compared with scale {', '.join(comparison['compared_with_scales'])}: {verdict}."
                )
            else:
                lines.append("Query counts: no other scale measured to compare with.")
        mailing = result.get("mailing")
        if mailing:
            lines += [
                "",
                f"Quarterly mailing through a Celery worker (--pool=solo) and Redis into the file backend: "
                f"{mailing['sent']:,} of {mailing['recipients']:,} recipients sent ({mailing['opted_out']} opted out, "
                f"{mailing['failed']} failed) in {mailing['wall_seconds']} s: "
                f"**{mailing['mails_per_second_wall']} mails/s** end to end "
                f"({mailing['mails_per_second_delivery']} mails/s while delivering); "
                f"worker peak memory (VmHWM) **{mailing['worker_peak_mb']} MB**. "
                f"Target (>= 200 mails/s, < 300 MB): {'met' if mailing['within_target'] else 'MISSED'}.",
            ]
        intake = result.get("intake")
        if intake:
            lines += [
                "",
                f"Data-leak report form under a rush ({intake['users']} users arriving within the first "
                f"{intake['think_seconds'][1]:.0f} s, {intake['seconds']} s in all; each: GET form, a pause of "
                f"{intake['think_seconds'][0]:.0f} to "
                f"{intake['think_seconds'][1]:.0f} s to fill it in, POST, the same pause before the next report): "
                f"**{intake['requests_per_second']} requests/s**, "
                f"{intake['reports_per_second']} reports/s, {intake['reports_submitted']} reports accepted, "
                f"{intake['double_posts']} of them posted twice; errors **{intake['errors']}**, rows stored "
                f"{intake['new_rows']}, lost {intake['lost']}, duplicated {intake['duplicated']}; "
                f"latency p50 {intake['median_ms']} ms, **p95 {intake['p95_ms']} ms**, p99 {intake['p99_ms']} ms. "
                f"Target (p95 under {intake['p95_target_ms']:.0f} ms, no errors, none lost or duplicated): "
                f"{'met' if intake['within_target'] else 'MISSED'}.",
            ]
        capacity = result.get("capacity")
        if capacity:
            lines += [
                "",
                f"The same form flat out ({capacity['users']} users without pauses, {capacity['seconds']} s: each "
                f"posts as soon as the last answer came, the load generator on the same 2 cores): "
                f"**{capacity['requests_per_second']} requests/s**, {capacity['reports_per_second']} reports/s; "
                f"errors {capacity['errors']}, lost {capacity['lost']}, duplicated {capacity['duplicated']}; "
                f"latency p50 {capacity['median_ms']} ms, p95 {capacity['p95_ms']} ms (queueing: 50 requests "
                f"waiting on two workers). What the workers take, no target.",
            ]
        two = result.get("two_servers")
        if two:
            lines += ["", self._two_servers_markdown(two)]
        lines += exports_bench.markdown(result.get("exports"))
        lines += ["", f"Measured in {result['seconds']} s.", ""]
        return "\n".join(lines)
