"""The restore drill: a dump and the uploads restored elsewhere, every table's rows, every upload, the audit chain."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from core import audit
from core.management.commands.restore_drill import compare_counts, compare_files
from core.models import AuditEntry

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (pg_dump, pg_restore)"),
]


def _restored_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def test_a_backup_restores_whole(officer, staff_b, tmp_path):
    for index in range(3):
        audit.record("permission_denied", actor=staff_b, detail=f"drill {index}")
    default_storage.save("dataleaks/letter.pdf", ContentFile(b"%PDF-1.7 a letter"))
    default_storage.save("logos/logo.png", ContentFile(b"\x89PNG a logo"))
    out = StringIO()
    call_command("restore_drill", "--output", str(tmp_path / "backup"), stdout=out)
    text = out.getvalue()
    assert "Every table's row count matches" in text
    assert "Every upload matches (2 files)" in text
    assert f"The audit trail is intact ({AuditEntry.objects.count()} entries" in text
    assert "Restore drill passed" in text
    assert (tmp_path / "backup" / "database.pgdump").stat().st_size > 0
    assert (tmp_path / "backup" / "media.tar.gz").exists()
    assert not _restored_exists(f"{connection.settings_dict['NAME']}_restore_drill")  # dropped afterwards


def test_a_broken_audit_chain_fails_the_drill(staff_b):
    audit.record("permission_denied", actor=staff_b, detail="first")
    entry = audit.record("permission_denied", actor=staff_b, detail="second")
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:  # past the model and the triggers, as the database's owner could
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(f"UPDATE {table} SET detail = 'altered afterwards' WHERE id = %s", [entry.pk])
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    err = StringIO()
    with pytest.raises(CommandError, match="restore drill failed"):
        call_command("restore_drill", stdout=StringIO(), stderr=err)
    assert "verify_audit_chain on the restored database" in err.getvalue()


def test_the_restored_database_is_kept_on_request(staff_b):
    target = f"{connection.settings_dict['NAME']}_drill_kept"
    call_command("restore_drill", "--target", target, "--keep", stdout=StringIO())
    try:
        assert _restored_exists(target)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


def test_it_never_restores_over_the_database_it_backs_up():
    with pytest.raises(CommandError, match="another database"):
        call_command("restore_drill", "--target", connection.settings_dict["NAME"], stdout=StringIO())


def test_differences_are_named():
    assert compare_counts({"public.a": 3, "public.b": 1}, {"public.a": 3, "public.b": 1}) == []
    assert compare_counts({"public.a": 3, "public.b": 1}, {"public.a": 2, "public.c": 0}) == [
        "public.b: missing after the restore",
        "public.c: not in the backup",
        "public.a: 3 rows backed up, 2 restored",
    ]
    assert compare_files({"x.pdf": "1", "y.png": "2"}, {"x.pdf": "9"}) == [
        "upload y.png: missing after the restore",
        "upload x.pdf: its contents differ after the restore",
    ]
