"""The soak: a bounded steady load on the filled benchmark database (``make soak``; ``make bench`` runs it last).

The production processes as the README deploys them: gunicorn (``bench_run.gunicorn_command``) and a Celery worker
(prefork, two processes) with Redis, DEBUG off. Locust (``bench/locustfile.py``, headless, on 127.0.0.1) plays
signed-in colleagues, officers, managers and ambassadors for ``--seconds`` (default ten minutes) while the worker
sends a quarterly mailing to the whole organisation and the mails of every report. Measured: the error rate (must be
0: the command fails otherwise), the 95th percentile of the first and of the last minute, and the resident memory of
the web server (master and workers) and of the worker (all processes) after the first minute and at the end.
Results in ``bench/results/soak.json`` and ``soak.md``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import Organisation, User
from bench.fixtures import LOAD_USERS, ORGANISATIONS, bench_email
from bench.management.commands.bench_run import (
    RESULTS_DIR,
    _free_port,
    _meminfo,
    _percentile,
    _session_client,
    gunicorn_command,
)
from programme import delivery
from programme.models import MailingRecipient, QuarterlyMailing

# p95 of the last minute within this factor of the first minute's (plus a few milliseconds of noise) counts as stable.
STABLE_FACTOR = 1.5
STABLE_SLACK_MS = 50.0
RSS_EVERY_SECONDS = 10


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (gunicorn's or Celery's workers), in MB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return round(total / 1024, 1)


class Command(BaseCommand):
    help = "A bounded steady load with Locust against gunicorn and a Celery worker (see bench/run.sh)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seconds", type=int, default=600, help="How long the load lasts (default 10 minutes).")
        parser.add_argument("--users", type=int, default=30, help="Simultaneous signed-in people.")

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql" or settings.DEBUG:
            raise CommandError("Run through bench/run.sh (PostgreSQL, DJANGO_DEBUG=false).")
        if not settings.CELERY_BROKER_URL.startswith("redis"):
            raise CommandError("The soak's worker needs Redis (REDIS_URL).")
        seconds = options["seconds"]
        if seconds < 120:
            raise CommandError("At least 120 seconds: the first and the last minute are compared.")
        org = Organisation.objects.get(slug=ORGANISATIONS[0][0])
        work = Path(tempfile.mkdtemp(prefix="soak-"))
        sessions_file, samples_file = work / "sessions.json", work / "samples.txt"
        sessions_file.write_text(json.dumps(self._sessions(org)))
        port = _free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
        web = subprocess.Popen(gunicorn_command(port), cwd=settings.BASE_DIR, env=env, start_new_session=True)  # noqa: S603
        celery = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "warning", "--concurrency", "2"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=(work / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        rss: list[tuple[float, float, float]] = []
        try:
            self._wait_for(port)
            mailing = self._mailing(org)
            self.stdout.write(f"== soak: {options['users']} people for {seconds} s; mailing to {mailing[1]}")
            locust = subprocess.Popen(  # noqa: S603
                [
                    str(Path(sys.executable).with_name("locust")),
                    "-f",
                    str(Path(settings.BASE_DIR) / "bench" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(options["users"]),
                    "--spawn-rate",
                    str(max(1, options["users"] // 10)),
                    "--run-time",
                    f"{seconds}s",
                    "--stop-timeout",
                    "15",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=settings.BASE_DIR,
                env={**env, "SOAK_SESSIONS": str(sessions_file), "SOAK_SAMPLES": str(samples_file)},
                stdout=(work / "locust.log").open("w"),
                stderr=subprocess.STDOUT,
            )
            started = time.monotonic()
            while locust.poll() is None:
                rss.append((time.monotonic() - started, _rss_mb(web.pid), _rss_mb(celery.pid)))
                time.sleep(RSS_EVERY_SECONDS)
            rss.append((time.monotonic() - started, _rss_mb(web.pid), _rss_mb(celery.pid)))
            mailing_status = self._mailing_status(mailing[0])
        finally:
            for process in (web, celery):
                if process.poll() is None:
                    os.killpg(process.pid, 15)
                    process.wait(timeout=60)
        result = self._result(options, seconds, samples_file, rss, mailing_status)
        result["locust_summary"] = (work / "locust.log").read_text()[-4000:]
        self._write(result)
        self.stdout.write((RESULTS_DIR / "soak.md").read_text())
        if result["errors"]:
            raise CommandError(f"{result['errors']} of {result['requests']} requests failed (see {work}).")

    def _sessions(self, org: Organisation) -> dict[str, list[dict]]:
        """A signed-in session (second factor done where the role needs it) per person the load plays."""
        slug = org.slug

        def entry(user: User, **extra) -> dict:
            client = _session_client(user)
            return {"key": client.cookies[settings.SESSION_COOKIE_NAME].value, "email": user.email, **extra}

        staff = [User.objects.get(email=bench_email(f"load{i}", slug)) for i in range(LOAD_USERS)]
        manager = User.objects.get(email=bench_email("manager", slug))
        top = manager.managed_departments.order_by("pk").first()
        return {
            "staff": [entry(user, department=user.department_id) for user in staff],
            "officer": [entry(User.objects.get(email=bench_email(role, slug))) for role in ("ciso", "privacy_officer")],
            "manager": [entry(manager, dashboard=f"/evaluatie/afdeling/{top.pk}/")],
            "ambassador": [entry(User.objects.get(email=bench_email("ambassador", slug)))],
        }

    def _wait_for(self, port: int) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise CommandError("gunicorn did not answer /health/ within 90 s")

    def _mailing(self, org: Organisation) -> tuple[int, int]:
        """A quarterly mailing to the whole organisation, started now (a year of its own, made anew each run)."""
        year = timezone.localdate().year + 10
        QuarterlyMailing.objects.filter(organisation=org, year=year, quarter=1).delete()
        mailing = QuarterlyMailing.objects.create(
            organisation=org, year=year, quarter=1, subject="Soak", body="Beste collega,"
        )
        return mailing.pk, delivery.mailing_start(mailing=mailing)

    def _mailing_status(self, mailing_id: int) -> dict[str, int]:
        rows = MailingRecipient.objects.filter(mailing_id=mailing_id)
        return {status: rows.filter(status=status).count() for status in MailingRecipient.Status.values}

    def _result(self, options, seconds: int, samples_file: Path, rss, mailing_status) -> dict:
        samples = [line.split() for line in samples_file.read_text().splitlines()]
        samples = [(float(at), float(ms), int(failed)) for at, ms, failed in samples]
        end = max(at for at, _, _ in samples)
        first = [ms for at, ms, _ in samples if at < 60]
        last = [ms for at, ms, _ in samples if at >= end - 60]
        p95_first, p95_last = _percentile(first, 0.95), _percentile(last, 0.95)
        after_first_minute = next(row for row in rss if row[0] >= 60) if rss[-1][0] >= 60 else rss[0]
        web_growth = round(rss[-1][1] - after_first_minute[1], 1)
        worker_growth = round(rss[-1][2] - after_first_minute[2], 1)
        errors = sum(failed for _, _, failed in samples)
        return {
            "started_at": timezone.now().isoformat(),
            "machine": {"cpu_count": os.cpu_count(), **_meminfo()},
            "seconds": seconds,
            "users": options["users"],
            "requests": len(samples),
            "errors": errors,
            "error_rate": round(errors / len(samples), 6) if samples else None,
            "requests_per_second": round(len(samples) / max(end, 1), 2),
            "p95_first_minute_ms": round(p95_first, 1),
            "p95_last_minute_ms": round(p95_last, 1),
            "p95_stable": p95_last <= p95_first * STABLE_FACTOR + STABLE_SLACK_MS,
            "web_rss_mb": {"after_first_minute": after_first_minute[1], "end": rss[-1][1], "growth": web_growth},
            "worker_rss_mb": {"after_first_minute": after_first_minute[2], "end": rss[-1][2], "growth": worker_growth},
            "rss_samples": rss,
            "mailing": mailing_status,
        }

    def _write(self, result: dict) -> None:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        (RESULTS_DIR / "soak.json").write_text(json.dumps(result, indent=2))
        web, worker = result["web_rss_mb"], result["worker_rss_mb"]
        lines = [
            f"# Soak ({result['started_at'][:16]}, {result['machine']['cpu_count']} cores)",
            "",
            f"{result['users']} signed-in people for {result['seconds']} s (Locust on loopback) against gunicorn "
            "(2 workers x 4 threads) and a Celery worker (2 processes), while the worker sends a quarterly mailing "
            "to the whole organisation.",
            "",
            "| Measure | Value |",
            "| --- | --- |",
            f"| Requests | {result['requests']} ({result['requests_per_second']}/s) |",
            f"| Errors | {result['errors']} (rate {result['error_rate']}; target 0) |",
            f"| p95 first minute | {result['p95_first_minute_ms']} ms |",
            f"| p95 last minute | {result['p95_last_minute_ms']} ms "
            f"({'stable' if result['p95_stable'] else 'NOT stable'}: within {STABLE_FACTOR}x + {STABLE_SLACK_MS:.0f} ms) |",
            f"| Web server RSS | {web['after_first_minute']} MB after the first minute, {web['end']} MB at the end "
            f"({web['growth']:+} MB) |",
            f"| Worker RSS | {worker['after_first_minute']} MB after the first minute, {worker['end']} MB at the end "
            f"({worker['growth']:+} MB) |",
            f"| Mailing copies | {', '.join(f'{k} {v}' for k, v in result['mailing'].items() if v)} |",
            "",
        ]
        (RESULTS_DIR / "soak.md").write_text("\n".join(lines))
