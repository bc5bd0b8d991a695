"""The same measuring organisation in two shapes of installation (``BENCH_NATIONAL=true bench/run.sh``): today's two large
organisations (``bench_fill --scale 1.0``) and a national one of 20 organisations a tenth of that size each with the
same totals of rows (``bench_fill --scale 0.1 --organisations 20``).

For the first organisation of the database: every main page's query count and its CPU time in this process (the
test client, the best of ``--requests``), and ``EXPLAIN (ANALYZE)`` of each of its statements (the indexes read and
any sequential scan of a table of more than 10,000 rows); for the whole installation: the dashboards' rollup of
every organisation, timed, against ``DASHBOARD_ROLLUP_SECONDS``. Results in ``bench/results/national-<shape>.json``;
when both shapes are there, ``bench/results/national.md`` compares them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from accounts.models import Organisation, User
from bench.fixtures import bench_email
from bench.management.commands.bench_run import RESULTS_DIR, _session_client
from bench.management.commands.bench_run import Command as RunCommand

LARGE_TABLE_ROWS = 10_000
_INDEX = re.compile(r"(?:Index Only Scan|Index Scan|Bitmap Index Scan) (?:Backward )?(?:using )?(?:on )?(\w+)")
_SEQ = re.compile(r"Seq Scan on (\w+)")


class Command(BaseCommand):
    help = "Measure one organisation's pages, their plans and the rollup in this installation's shape."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--shape", required=True, choices=("two", "national"))
        parser.add_argument("--requests", type=int, default=10)
        parser.add_argument(
            "--no-mailing", action="store_true", help="Leave out the mailing by one and by two workers."
        )

    def handle(self, *args, shape: str, requests: int, no_mailing: bool, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs against PostgreSQL (set DATABASE_URL).")
        # Dashboard figures are cached per organisation id: none may come from the other shape's database.
        cache.clear()
        run = RunCommand()
        run.org = Organisation.objects.order_by("pk").first()
        slug = run.org.slug
        run.users = {
            role: User.objects.get(email=bench_email(role, slug))
            for role in ("ciso", "privacy_officer", "manager", "ambassador", "staff")
        }
        clients = {role: _session_client(user) for role, user in run.users.items()}
        result: dict = {
            "shape": shape,
            "started_at": timezone.now().isoformat(),
            "organisations": Organisation.objects.count(),
            "measured": run.org.name,
            "employees": User.objects.count(),
            "employees_measured": User.objects.filter(organisation=run.org).count(),
            "rollup": self._rollup(),
            "pages": [],
        }
        big = self._large_tables()
        for name, role, url in run._pages():
            client = clients[role]
            for _ in range(2):
                run._before_request(name)
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{name}: {url} answered {response.status_code}")
            # Read now: every request started below empties the connection's query log.
            statements = [query["sql"] for query in captured.captured_queries]
            cpu = []
            for _ in range(requests):
                run._before_request(name)
                started = time.process_time()
                client.get(url)
                cpu.append((time.process_time() - started) * 1000)
            plans = [self._explain(sql, big) for sql in statements]
            plans = [plan for plan in plans if plan]
            result["pages"].append(
                {
                    "page": name,
                    "queries": len(statements),
                    "cpu_ms": round(min(cpu), 1),
                    "sql_ms": round(sum(plan["ms"] for plan in plans), 1),
                    "indexes": sorted({index for plan in plans for index in plan["indexes"]}),
                    "large_seq_scans": sorted({table for plan in plans for table in plan["seq_scans"]}),
                }
            )
            self.stdout.write(f"  {name}: {result['pages'][-1]}")
        if not no_mailing:
            result["mailing"] = [self._mailing(run, workers) for workers in (1, 2)]
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        (RESULTS_DIR / f"national-{shape}.json").write_text(json.dumps(result, indent=1, default=str))
        self._compare()

    def _rollup(self) -> dict:
        """Every organisation's rollup, as beat's job does it (``rollup.refresh_all``), timed."""
        from evaluation.dashboards import rollup

        started = time.monotonic()
        rollup.refresh_all()
        seconds = time.monotonic() - started
        interval = int(getattr(settings, "DASHBOARD_ROLLUP_SECONDS", 0) or 0)
        self.stdout.write(f"  rollup of every organisation: {seconds:.1f} s (interval {interval} s)")
        return {
            "seconds": round(seconds, 1),
            "interval_seconds": interval,
            "within": bool(interval and seconds < interval),
        }

    def _mailing(self, run: RunCommand, workers: int) -> dict:
        """This quarter's mailing of the measured organisation sent by ``workers`` Celery workers (solo pool each),
        with as many delivery runs queued: every copy sent once (the rows claimed, the messages in the files)."""
        from config.celery import app
        from programme.delivery import mailing_start
        from programme.models import MailingRecipient, QuarterlyMailing

        run._flush_broker()
        mail_dir = Path(settings.EMAIL_FILE_PATH)
        mail_dir.mkdir(parents=True, exist_ok=True)
        for old in mail_dir.glob("*.log"):
            old.unlink()
        celery = str(Path(sys.executable).with_name("celery"))
        options = ["--pool=solo", "-l", "warning", "--without-heartbeat", "--without-gossip", "--without-mingle"]
        processes = [
            subprocess.Popen(  # noqa: S603
                [celery, "-A", "config", "worker", "-n", f"bench{index}@%h", *options],
                cwd=settings.BASE_DIR,
                start_new_session=True,
            )
            for index in range(workers)
        ]
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and len(app.control.ping(timeout=1) or []) < workers:
                time.sleep(0.5)
            today = timezone.localdate()
            quarter = (today.month - 1) // 3 + 1
            QuarterlyMailing.objects.filter(organisation=run.org, year=today.year, quarter=quarter).delete()
            mailing = QuarterlyMailing.objects.create(
                organisation=run.org, year=today.year, quarter=quarter, subject="Dit kwartaal", body="Beste collega."
            )
            started = time.monotonic()
            # The production path: mailing_start queues MAILING_DELIVERY_RUNS runs, here one per worker.
            with override_settings(MAILING_DELIVERY_RUNS=workers):
                recipients = mailing_start(mailing=mailing)
            deadline = time.monotonic() + 900
            while time.monotonic() < deadline:
                if QuarterlyMailing.objects.filter(pk=mailing.pk, sent_at__isnull=False).exists():
                    break
                time.sleep(0.5)
            seconds = time.monotonic() - started
        finally:
            for process in processes:
                run._stop(process)
        rows = MailingRecipient.objects.filter(mailing=mailing)
        sent = rows.filter(status=MailingRecipient.Status.SENT).count()
        messages = sum(path.read_text(errors="replace").count("\nMessage-ID: ") for path in mail_dir.glob("*.log"))
        result = {
            "workers": workers,
            "recipients": recipients,
            "sent": sent,
            "messages_in_files": messages,
            "handed_over_twice": rows.filter(handovers__gt=1).count(),
            "seconds": round(seconds, 1),
            "mails_per_second": round(sent / seconds, 1) if seconds else None,
        }
        result["each_once"] = sent == recipients == messages and not result["handed_over_twice"]
        self.stdout.write(f"  mailing with {workers} worker(s): {result}")
        return result

    def _large_tables(self) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [LARGE_TABLE_ROWS])
            return {row[0] for row in cursor.fetchall()}

    def _explain(self, sql: str, big: set[str]) -> dict | None:
        if not sql.lstrip().upper().startswith(("SELECT", "(SELECT", "WITH")) or "FOR UPDATE" in sql.upper():
            return None
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE) " + sql)
            lines = [row[0] for row in cursor.fetchall()]
        text = "\n".join(lines)
        found = re.search(r"Execution Time: ([\d.]+) ms", text)
        return {
            "ms": float(found.group(1)) if found else 0.0,
            "indexes": _INDEX.findall(text),
            "seq_scans": [table for table in _SEQ.findall(text) if table in big],
        }

    def _compare(self) -> None:
        shapes = {}
        for shape in ("two", "national"):
            path = RESULTS_DIR / f"national-{shape}.json"
            if path.exists():
                shapes[shape] = json.loads(path.read_text())
        if len(shapes) < 2:
            return
        two, national = shapes["two"], shapes["national"]
        lines = [
            "# One organisation in two shapes of installation",
            "",
            f"Two large organisations ({two['started_at'][:16]}): {two['organisations']} organisations, "
            f"{two['employees']:,} employees, measured as {two['measured']} ({two['employees_measured']:,}). "
            f"National shape ({national['started_at'][:16]}): {national['organisations']} organisations of a tenth "
            f"of that size, {national['employees']:,} employees, measured as {national['measured']} "
            f"({national['employees_measured']:,}). CPU: this process's time per request through the test client "
            "(the best of several); SQL: the sum of `EXPLAIN (ANALYZE)` execution times of the page's statements.",
            "",
            "| page | queries (two / national) | CPU ms (two / national) | SQL ms (two / national) | indexes read "
            "(national) | sequential scans of large tables (national) |",
            "|---|---:|---:|---:|---|---|",
        ]
        by_name = {row["page"]: row for row in two["pages"]}
        for row in national["pages"]:
            other = by_name.get(row["page"], {})
            lines.append(
                f"| {row['page']} | {other.get('queries', '?')} / {row['queries']} | {other.get('cpu_ms', '?')} / "
                f"{row['cpu_ms']} | {other.get('sql_ms', '?')} / {row['sql_ms']} | {', '.join(row['indexes']) or '–'} "
                f"| {', '.join(row['large_seq_scans']) or 'none'} |"
            )
        same = all(by_name.get(row["page"], {}).get("queries") == row["queries"] for row in national["pages"])
        lines += [
            "",
            f"Query counts equal in both shapes: {'yes' if same else 'NO'}.",
            f"Rollup of every organisation: {two['rollup']['seconds']} s for the two large ones, "
            f"{national['rollup']['seconds']} s for the {national['organisations']} of the national shape "
            f"(interval {national['rollup']['interval_seconds']} s: "
            f"{'within' if national['rollup']['within'] else 'NOT within'}).",
        ]
        for shape_name, data in (("two large organisations", two), ("national shape", national)):
            for mailing in data.get("mailing", []):
                lines.append(
                    f"Mailing of the measured organisation ({shape_name}) by {mailing['workers']} worker(s): "
                    f"{mailing['sent']:,} of {mailing['recipients']:,} sent, {mailing['messages_in_files']:,} messages "
                    f"in the files, {mailing['handed_over_twice']} handed over twice, in {mailing['seconds']} s "
                    f"({mailing['mails_per_second']} mails/s): each copy once: "
                    f"{'yes' if mailing['each_once'] else 'NO'}."
                )
        lines.append("")
        (RESULTS_DIR / "national.md").write_text("\n".join(lines))
        self.stdout.write("\n".join(lines))
