# ruff: noqa: S603, S607, S108 - a test harness that runs podman, redis-server and paths inside the container
"""The container image, tested for real with podman (`make image-test`; .ci/run runs it).

Builds the image (scripts/image.sh), then against this machine's PostgreSQL (a database of its own) and a Redis
server of its own (its own port):
- runs `migrate` and `manage seed_demo` as one-off containers;
- starts the web container (read-only root, the media volume, JSON logs) and checks /health/: 200, "ok", with the
  database, cache and broker named; and the image's own HEALTHCHECK;
- checks the container runs as a non-root user with a read-only root filesystem (only /tmp and /data/media take
  writes);
- signs in as the demo employee through the container and reports a data leak with an X-Request-ID;
- starts a worker container and sees the report's mails go out (the console mail backend prints them), with the
  web request's id on the worker's JSON log lines;
- scrapes /metrics with its token (request latency added up over the gunicorn processes, the outbox, mailings,
  failed tasks, the rollup) and starts beat, which writes its schedule to the database.

Every container, the volume, the Redis server and the database are removed afterwards (and their logs printed when
a check fails). Settings: IMAGE (localhost/ambassadeurs:latest), IMAGE_TEST_DATABASE_URL (the machine's
PostgreSQL, database amb_image_test), IMAGE_TEST_REDIS_PORT (6397), IMAGE_TEST_WEB_PORT (8093), --no-build.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import requests

ROOT = Path(__file__).resolve().parent.parent
IMAGE = os.environ.get("IMAGE", "localhost/ambassadeurs:latest")
DATABASE_URL = os.environ.get("IMAGE_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/amb_image_test")
REDIS_PORT = int(os.environ.get("IMAGE_TEST_REDIS_PORT", "6397"))
WEB_PORT = int(os.environ.get("IMAGE_TEST_WEB_PORT", "8093"))
PREFIX = "amb-image-test"
BASE = f"http://127.0.0.1:{WEB_PORT}"
PASSWORD = "Demo-wachtwoord-2026"
REQUEST_ID = f"image-test-{secrets.token_hex(6)}"
METRICS_TOKEN = secrets.token_urlsafe(32)

os.environ.setdefault("CONTAINERS_CONF", str(ROOT / "scripts/container/containers.conf"))


class Failed(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)
    print(f"ok  {message}")


def podman(*args: str, check_rc: bool = True, capture: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(["podman", *args], capture_output=capture, text=True)
    if check_rc and result.returncode != 0:
        raise Failed(f"podman {' '.join(args[:3])} ... exited {result.returncode}: {result.stderr[-2000:]}")
    return result


def run_flags(env_file: str) -> list[str]:
    """What every container of the test gets: the host network, a read-only root, the media volume, the env file."""
    return ["--network", "host", "--read-only", "--env-file", env_file, "--volume", f"{PREFIX}-media:/data/media"]


def database(action: str) -> None:
    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if action == "create":
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def start_redis() -> subprocess.Popen:
    """A Redis server of the test's own; never one that already listens on the port."""
    server = shutil.which("redis-server")
    if server is None:
        raise Failed("redis-server is missing")
    if port_in_use(REDIS_PORT):
        raise Failed(f"port {REDIS_PORT} is in use: set IMAGE_TEST_REDIS_PORT to a free one")
    process = subprocess.Popen(
        [server, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        if process.poll() is not None:
            raise Failed(f"redis-server could not start on port {REDIS_PORT}")
        if port_in_use(REDIS_PORT):
            return process
        time.sleep(0.1)
    raise Failed("redis-server did not answer")


def write_env_file(directory: str) -> str:
    """Configuration only through environment variables, a fresh SECRET_KEY per run (never in the image)."""
    values = {
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": BASE,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "EMAIL_URL": "consolemail://",
        "DEFAULT_FROM_EMAIL": "Ambassadeursprogramma <noreply@voorbeeld.nl>",
        # Plain HTTP on the loopback: a real installation has TLS in front (see the README).
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_FORMAT": "json",
        "METRICS_TOKEN": METRICS_TOKEN,
        "PORT": str(WEB_PORT),
    }
    path = os.path.join(directory, "env")
    with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as handle:
        handle.writelines(f"{key}={value}\n" for key, value in values.items())
    return path


def wait_for_health(timeout: float = 90) -> requests.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response = requests.get(f"{BASE}/health/", timeout=15)
            if response.status_code == 200:
                return response
        except (requests.ConnectionError, requests.Timeout):
            pass
        state = podman("inspect", "--format", "{{.State.Running}}", f"{PREFIX}-web", check_rc=False).stdout.strip()
        if state == "false":
            raise Failed("the web container stopped")
        time.sleep(1)
    raise Failed("/health/ did not answer 200 in time")


def form_value(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', html
    )
    if match is None:
        raise Failed(f"the form has no {name}")
    return match.group(1)


def sign_in(email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{BASE}/accounts/login/", timeout=10)
    check(page.status_code == 200, "the sign-in page answers through the container")
    check("Wachtwoord vergeten" in page.text, "the sign-in page is in Dutch (the compiled catalogues)")
    stylesheets = re.findall(r'<link[^>]+href="(/static/[^"]+\.css)"', page.text)
    check(
        bool(stylesheets) and all(".css" in href for href in stylesheets), f"the page links its styles: {stylesheets}"
    )
    for href in stylesheets:
        static = requests.get(f"{BASE}{href}", timeout=10)
        check(static.status_code == 200 and "immutable" in static.headers.get("Cache-Control", ""), f"{href} is served")
    response = session.post(
        f"{BASE}/accounts/login/",
        data={
            "csrfmiddlewaretoken": form_value(page.text, "csrfmiddlewaretoken"),
            "login": email,
            "password": PASSWORD,
        },
        headers={"Referer": f"{BASE}/accounts/login/"},
        timeout=20,
    )
    check(
        response.status_code == 200 and urlsplit(response.url).path == "/", f"{email} signs in and sees the home page"
    )
    check("Tom Visser" in response.text, "the home page is the signed-in employee's")
    return session


def report_data_leak(session: requests.Session) -> None:
    page = session.get(f"{BASE}/datalekken/melden/", timeout=10)
    check(page.status_code == 200, "the data-leak form opens")
    # The department is a combobox: a hidden input carries the chosen one (the reporter's own, preselected).
    department = re.search(r'<input type="hidden" name="department" value="(\d+)"', page.text)
    now = time.localtime()
    data = {
        "csrfmiddlewaretoken": form_value(page.text, "csrfmiddlewaretoken"),
        "idempotency_token": form_value(page.text, "idempotency_token"),
        "category": "email_wrong_recipient",
        "description": "Een mail met een BSN naar de verkeerde ontvanger gestuurd (test van het image).",
        "occurred_at": time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.mktime(now) - 7200)),
        "discovered_at": time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.mktime(now) - 3600)),
        "department": department.group(1) if department else "",
        "affected_estimate": "1",
        "ongoing": "no",
        "contact_email": "medewerker@voorbeeld.nl",
    }
    response = session.post(
        f"{BASE}/datalekken/melden/",
        data=data,
        headers={"Referer": f"{BASE}/datalekken/melden/", "X-Request-ID": REQUEST_ID},
        allow_redirects=False,
        timeout=20,
    )
    check(department is not None, "the report form preselects the employee's department")
    if response.status_code != 302:
        # The form came back: say which answers it refused, so a changed form is read here and not guessed at.
        found = re.findall(r'class="invalid-feedback[^"]*"[^>]*>(.*?)</', response.text, re.S)
        errors = [re.sub(r"<[^>]+>|\s+", " ", error).strip() for error in found]
        print(f"    the form answered {response.status_code} with: {errors}")
    check(response.status_code == 302, f"the report is saved (302), request id {REQUEST_ID}")
    check(response.headers.get("X-Request-ID") == REQUEST_ID, "the web container answers with the request id")


def wait_for_worker_mail(timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    logs = ""
    while time.monotonic() < deadline:
        result = podman("logs", f"{PREFIX}-worker", check_rc=False)
        logs = result.stdout + result.stderr
        if "To: privacy@voorbeeld.nl" in logs and "To: medewerker@voorbeeld.nl" in logs:
            return logs
        time.sleep(1)
    raise Failed(f"the worker sent no mail in time; its log ends with:\n{logs[-3000:]}")


def check_beat(flags: list[str]) -> None:
    """Beat starts on the read-only root and writes the schedule to the database (django-celery-beat)."""
    podman("run", "--detach", "--name", f"{PREFIX}-beat", *flags, IMAGE, "beat")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        connection = psycopg2.connect(DATABASE_URL)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM django_celery_beat_periodictask WHERE name = 'sweep-outbox'")
                written = cursor.fetchone()[0]
        finally:
            connection.close()
        if written:
            break
        time.sleep(1)
    else:
        raise Failed("beat did not write its schedule")
    time.sleep(2)
    running = podman("inspect", "--format", "{{.State.Running}}", f"{PREFIX}-beat").stdout.strip()
    check(running == "true", "the beat container runs and wrote the schedule to the database")


def check_metrics() -> None:
    check(
        requests.get(f"{BASE}/metrics", timeout=10).status_code == 401, "/metrics refuses a scraper without the token"
    )
    response = requests.get(f"{BASE}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10)
    check(response.status_code == 200, "/metrics answers the scraper's token")
    text = response.text
    measured = [
        line for line in text.splitlines() if line.startswith("ambassadeurs_http_request_duration_seconds_count")
    ]
    report = sum(float(line.rsplit(" ", 1)[1]) for line in measured if 'view="incidents:report"' in line)
    # The form and the report: two requests, perhaps on two gunicorn processes, added up in one scrape.
    check(report == 2, "the request latency of the report view is measured (GET and POST, all processes)")
    for family in (
        "ambassadeurs_outbox_backlog",
        "ambassadeurs_outbox_given_up",
        "ambassadeurs_celery_task_failures_total",
        "ambassadeurs_mailing_recipients",
        "ambassadeurs_dashboard_rollup_age_seconds",
    ):
        check(f"# TYPE {family.removesuffix('_total')}" in text, f"/metrics has {family}")


def json_lines(text: str) -> list[dict]:
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


def test(env_file: str) -> None:
    flags = run_flags(env_file)
    podman("run", "--rm", *flags, IMAGE, "migrate")
    check(True, "migrate ran in a one-off container")
    podman("run", "--rm", *flags, IMAGE, "manage", "seed_demo")
    check(True, "the demo was seeded in a one-off container")

    podman("run", "--detach", "--name", f"{PREFIX}-web", *flags, IMAGE, "web")
    health = wait_for_health()
    body = health.json()
    check(body["status"] == "ok", f"/health/ answers 200 ok: {body}")
    check(
        all(body["checks"][part]["status"] == "ok" for part in ("database", "cache", "broker")),
        "/health/ names the database, cache and broker, each ok",
    )
    check(
        podman("healthcheck", "run", f"{PREFIX}-web", check_rc=False).returncode == 0, "the image's HEALTHCHECK passes"
    )

    check(podman("exec", f"{PREFIX}-web", "id", "-u").stdout.strip() != "0", "the web container runs as non-root")
    baked = podman("image", "inspect", "--format", "{{json .Config.Env}}", IMAGE).stdout
    check(
        not any(name in baked for name in ("SECRET_KEY", "PASSWORD", "TOKEN", "DATABASE_URL")),
        "no secret or connection is baked into the image's environment",
    )
    user = podman("image", "inspect", "--format", "{{.Config.User}}", IMAGE).stdout.strip()
    check(user not in ("", "0", "root") and not user.startswith("0:"), f"the image's user is non-root ({user})")
    read_only = podman("inspect", "--format", "{{.HostConfig.ReadonlyRootfs}}", f"{PREFIX}-web").stdout.strip()
    check(read_only == "true", "the web container's root filesystem is read-only")
    for path in ("/app/written", "/opt/venv/written", "/etc/written"):
        refused = podman("exec", f"{PREFIX}-web", "touch", path, check_rc=False)
        check(refused.returncode != 0, f"writing {path} is refused")
    for path in ("/tmp/written", "/data/media/written"):
        allowed = podman("exec", f"{PREFIX}-web", "touch", path, check_rc=False)
        check(allowed.returncode == 0, f"writing {path} works")

    session = sign_in("medewerker@voorbeeld.nl")
    report_data_leak(session)

    podman("run", "--detach", "--name", f"{PREFIX}-worker", *flags, IMAGE, "worker", "--concurrency", "1")
    logs = wait_for_worker_mail()
    check(True, "the worker container sent the report's mails (to the reporter and the Privacy Officer)")
    carried = [line for line in json_lines(logs) if line.get("request_id") == REQUEST_ID]
    check(bool(carried), "the worker's JSON log lines carry the web request's id")
    check(podman("exec", f"{PREFIX}-worker", "id", "-u").stdout.strip() != "0", "the worker runs as non-root")
    check_metrics()
    check_beat(flags)


def cleanup(show_logs: bool) -> None:
    for role in ("web", "worker", "beat"):
        name = f"{PREFIX}-{role}"
        if show_logs and podman("container", "exists", name, check_rc=False).returncode == 0:
            result = podman("logs", "--tail", "60", name, check_rc=False)
            print(f"--- {name} log (last 60 lines)\n{result.stdout}{result.stderr}", file=sys.stderr)
        podman("rm", "--force", "--time", "2", name, check_rc=False)
    podman("volume", "rm", "--force", f"{PREFIX}-media", check_rc=False)


def main() -> int:
    if "--no-build" not in sys.argv:
        subprocess.run([str(ROOT / "scripts/image.sh")], check=True, env={**os.environ, "IMAGE": IMAGE})
    cleanup(show_logs=False)
    failed, redis = True, None
    with tempfile.TemporaryDirectory() as directory:
        try:
            started = time.monotonic()
            if port_in_use(WEB_PORT):
                raise Failed(f"port {WEB_PORT} is in use: set IMAGE_TEST_WEB_PORT to a free one")
            redis = start_redis()
            database("create")
            podman("volume", "create", f"{PREFIX}-media")
            test(write_env_file(directory))
            failed = False
            print(f"image test passed in {time.monotonic() - started:.0f} s")
        except Failed as failure:
            print(f"FAILED: {failure}", file=sys.stderr)
        finally:
            cleanup(show_logs=failed)
            if redis is not None:
                redis.terminate()
                redis.wait(timeout=10)
            database("drop")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
