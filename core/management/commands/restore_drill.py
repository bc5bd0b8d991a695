"""Restore drill: back up the database and the uploads, restore both elsewhere, and prove the copy is whole.

1. In one read-only snapshot of the database: count every table's rows, and ``pg_dump`` that same snapshot
   (``--snapshot``), so a live installation's writes during the drill make no difference;
2. archive ``MEDIA_ROOT`` after the dump (uploads get new random names and are never overwritten, so every file the
   dump names is in the archive);
3. restore the dump into a fresh database (``<name>_restore_drill`` unless ``--target``) with ``pg_restore`` and
   unpack the archive into a fresh folder;
4. compare every table's row count and every upload's SHA-256, and run ``verify_audit_chain`` against the restored
   database (the audit trail's hash chain must still verify).

The restored database is dropped afterwards unless ``--keep``; the dump and archive are kept in ``--output`` when
given (a temporary folder otherwise). ``make restore-drill`` runs it; it needs PostgreSQL and ``pg_dump``/``pg_restore``
of the server's version. With ``STORAGE_BACKEND=s3`` the uploads are the bucket's backups, not part of this drill.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from psycopg2 import sql
from psycopg2.extensions import ISOLATION_LEVEL_REPEATABLE_READ

TABLES = """
    SELECT schemaname, tablename FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY schemaname, tablename
"""


def count_rows(cursor) -> dict[str, int]:
    """Every table's row count, as ``schema.table``."""
    cursor.execute(TABLES)
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def compare_counts(source: dict[str, int], restored: dict[str, int]) -> list[str]:
    """What differs between the backed-up and the restored tables (empty: every table matches)."""
    problems = [f"{table}: missing after the restore" for table in sorted(source.keys() - restored.keys())]
    problems += [f"{table}: not in the backup" for table in sorted(restored.keys() - source.keys())]
    problems += [
        f"{table}: {source[table]} rows backed up, {restored[table]} restored"
        for table in sorted(source.keys() & restored.keys())
        if source[table] != restored[table]
    ]
    return problems


def file_digests(folder: Path) -> dict[str, str]:
    digests = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digests[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def compare_files(source: dict[str, str], restored: dict[str, str]) -> list[str]:
    problems = [f"upload {name}: missing after the restore" for name in sorted(source.keys() - restored.keys())]
    problems += [
        f"upload {name}: its contents differ after the restore"
        for name in sorted(source.keys() & restored.keys())
        if source[name] != restored[name]
    ]
    return problems


class Command(BaseCommand):
    help = (
        "Dump the database (pg_dump) and the uploads, restore them into a fresh database and folder, and check that "
        "every table's row count and every upload match and the audit chain verifies."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--target", help="Name of the database to restore into (default: <name>_restore_drill).")
        parser.add_argument("--output", help="Keep the dump and the uploads' archive in this folder.")
        parser.add_argument("--keep", action="store_true", help="Keep the restored database.")

    def handle(self, *args, **options) -> None:
        database = connections["default"].settings_dict
        if connections["default"].vendor != "postgresql":
            raise CommandError("The restore drill needs PostgreSQL (DATABASE_URL=postgres://...).")
        for tool in ("pg_dump", "pg_restore"):
            if shutil.which(tool) is None:
                raise CommandError(f"{tool} is missing (Debian: apt-get install postgresql-client).")
        source_name = database["NAME"]
        target = options["target"] or f"{source_name}_restore_drill"
        if target == source_name:
            raise CommandError("The drill restores into another database than the one it backs up.")
        started = time.monotonic()
        output = Path(options["output"]) if options["output"] else None
        folder = output or Path(tempfile.mkdtemp(prefix="restore-drill-"))
        folder.mkdir(parents=True, exist_ok=True)
        try:
            problems = self.drill(database, target, folder)
        finally:
            if not options["keep"]:
                self.drop(database, target)
            if output is None:
                shutil.rmtree(folder, ignore_errors=True)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"The restore drill failed: {len(problems)} problem(s).")
        self.stdout.write(self.style.SUCCESS(f"Restore drill passed in {time.monotonic() - started:.1f} s."))

    # --- the steps --------------------------------------------------------------------------------------------

    def drill(self, database: dict, target: str, folder: Path) -> list[str]:
        dump = folder / "database.pgdump"
        source_counts = self.dump(database, dump)
        self.stdout.write(f"Backed up {len(source_counts)} tables, {sum(source_counts.values())} rows: {dump.name}")
        media = Path(settings.MEDIA_ROOT)
        archive = folder / "media.tar.gz"
        source_files = file_digests(media)
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(media if media.is_dir() else folder, arcname=".", recursive=media.is_dir())
        self.stdout.write(f"Backed up {len(source_files)} uploads from MEDIA_ROOT: {archive.name}")

        self.create(database, target)
        self.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d", target, str(dump)], database)
        restored_media = folder / "media-restored"
        shutil.rmtree(restored_media, ignore_errors=True)
        restored_media.mkdir()
        with tarfile.open(archive) as tar:
            tar.extractall(restored_media, filter="data")
        self.stdout.write(f"Restored into the database {target} and the folder {restored_media}")

        connection = psycopg2.connect(**self.connect_kwargs(database, target))
        try:
            with connection.cursor() as cursor:
                restored_counts = count_rows(cursor)
        finally:
            connection.close()
        problems = compare_counts(source_counts, restored_counts)
        if not problems:
            self.stdout.write(f"Every table's row count matches ({len(source_counts)} tables).")
        file_problems = compare_files(source_files, file_digests(restored_media))
        if not file_problems:
            self.stdout.write(f"Every upload matches ({len(source_files)} files).")
        return problems + file_problems + self.verify_audit_chain(database, target)

    def dump(self, database: dict, path: Path) -> dict[str, int]:
        """Count the rows and dump the database in one snapshot."""
        connection = psycopg2.connect(**self.connect_kwargs(database, database["NAME"]))
        try:
            connection.set_session(isolation_level=ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = count_rows(cursor)
                # The exporting transaction stays open until pg_dump has taken its snapshot (here: finished).
                self.run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        "-f",
                        str(path),
                        database["NAME"],
                    ],
                    database,
                )
            connection.rollback()
        finally:
            connection.close()
        return counts

    def verify_audit_chain(self, database: dict, target: str) -> list[str]:
        environment = {**os.environ, "DATABASE_URL": self.url(database, target)}
        result = subprocess.run(  # noqa: S603 - this interpreter and the project's manage.py
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "verify_audit_chain"],
            env=environment,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            return [f"verify_audit_chain on the restored database: {(result.stderr or result.stdout).strip()}"]
        self.stdout.write(f"On the restored database: {result.stdout.strip()}")
        return []

    # --- PostgreSQL -------------------------------------------------------------------------------------------

    def connect_kwargs(self, database: dict, name: str) -> dict:
        kwargs = {"dbname": name, "user": database.get("USER") or None, "password": database.get("PASSWORD") or None}
        kwargs |= {"host": database.get("HOST") or None, "port": database.get("PORT") or None}
        kwargs |= database.get("OPTIONS", {})
        return {key: value for key, value in kwargs.items() if value is not None}

    def url(self, database: dict, name: str) -> str:
        credentials = quote(database.get("USER") or "", safe="")
        if database.get("PASSWORD"):
            credentials += ":" + quote(database["PASSWORD"], safe="")
        address = f"{database.get('HOST') or ''}" + (f":{database['PORT']}" if database.get("PORT") else "")
        query = "&".join(f"{key}={quote(str(value))}" for key, value in database.get("OPTIONS", {}).items())
        return f"postgres://{credentials}@{address}/{quote(name)}" + (f"?{query}" if query else "")

    def run(self, command: list[str], database: dict) -> None:
        environment = dict(os.environ)
        for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
            if database.get(key):
                environment[variable] = str(database[key])
        if database.get("OPTIONS", {}).get("sslmode"):
            environment["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
        result = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise CommandError(f"{command[0]} failed: {result.stderr.strip()}")

    def create(self, database: dict, target: str) -> None:
        self.drop(database, target)
        self.admin(database, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))

    def drop(self, database: dict, target: str) -> None:
        self.admin(database, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target)))

    def admin(self, database: dict, statement: sql.Composable) -> None:
        connection = psycopg2.connect(**self.connect_kwargs(database, "postgres"))
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()
