import hashlib
import json
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from core import audit
from core.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db


@contextmanager
def tampering():
    """What someone with the database owner's rights can do: switch the append-only triggers off for a while."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_update")
            cursor.execute("DROP TRIGGER core_auditentry_no_delete")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER USER")


def test_entries_form_an_intact_chain(staff_b):
    for action in ("login", "view", "logout"):
        audit.record(action, actor=staff_b, obj=staff_b)
    entries = list(AuditEntry.objects.order_by("pk"))
    assert entries[0].previous_hash == audit.GENESIS
    assert entries[1].previous_hash == entries[0].entry_hash
    assert audit.verify_chain() == []
    call_command("verify_audit_chain")


def test_entries_cannot_be_changed_or_deleted_through_the_application(staff_b):
    entry = audit.record("login", actor=staff_b)
    entry.detail = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_an_altered_entry_is_found(staff_b):
    first = audit.record("view", actor=staff_b)
    audit.record("view", actor=staff_b)
    with tampering() as cursor:
        cursor.execute("UPDATE core_auditentry SET actor_id = %s WHERE id = %s", [999, first.pk])
    assert any("altered" in p for p in audit.verify_chain())
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")


def test_a_removed_entry_is_found(staff_b):
    audit.record("view", actor=staff_b)
    middle = audit.record("view", actor=staff_b)
    audit.record("view", actor=staff_b)
    with tampering() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [middle.pk])
    assert any("removed" in p for p in audit.verify_chain())


def test_removing_the_newest_entries_is_found(staff_b):
    audit.record("view", actor=staff_b)
    last = audit.record("view", actor=staff_b)
    with tampering() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [last.pk])
    assert audit.verify_chain() == ["the newest entries were removed"]
    assert AuditChainHead.objects.get().last_hash == last.entry_hash


def _plain_sha256(previous_hash, entry):
    fields = audit._fields(entry)
    payload = json.dumps(fields, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256((previous_hash + payload).encode("utf-8")).hexdigest()


def test_the_chain_is_a_keyed_mac_not_a_plain_hash(staff_b, settings):
    entry = audit.record("view", actor=staff_b)
    assert entry.entry_hash != _plain_sha256(entry.previous_hash, entry)
    settings.SECRET_KEY = "another-secret-key-than-the-one-it-was-written-with-0123456789"
    assert any("altered" in p for p in audit.verify_chain())


def test_the_database_refuses_update_and_delete(staff_b):
    entry = audit.record("view", actor=staff_b)
    for statement in (
        "UPDATE core_auditentry SET detail = 'x' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).detail == ""


def test_a_rotated_key_still_verifies_older_entries(staff_b, settings):
    first_key = settings.SECRET_KEY
    audit.record("view", actor=staff_b)
    settings.SECRET_KEY_FALLBACKS = [first_key]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-0123456789abcdefghijklmnop"
    audit.record("view", actor=staff_b)
    assert audit.verify_chain() == []
    settings.SECRET_KEY_FALLBACKS = []
    assert any("altered" in p for p in audit.verify_chain())
    settings.AUDIT_HMAC_KEY = "explicit-key"
    settings.SECRET_KEY_FALLBACKS = [first_key]
    audit.record("view", actor=staff_b)
    settings.AUDIT_HMAC_KEY_FALLBACKS = ["explicit-key"]
    settings.AUDIT_HMAC_KEY = "newer-explicit-key"
    audit.record("view", actor=staff_b)
    settings.SECRET_KEY_FALLBACKS = [first_key, "a-new-secret-key-after-rotation-0123456789abcdefghijklmnop"]
    assert audit.verify_chain() == []


def test_the_checkpoint_is_appended_outside_the_database_and_logged(staff_b, settings, caplog):
    from core.tasks import audit_checkpoint

    audit.record("view", actor=staff_b)
    with caplog.at_level("INFO", logger="audit"):
        assert audit_checkpoint() is True
    assert audit_checkpoint() is False  # the head did not move: nothing new written
    last = audit.record("view", actor=staff_b)
    assert audit_checkpoint() is True
    lines = settings.AUDIT_CHECKPOINT_PATH.read_text().splitlines()
    assert [json.loads(line)["entry_id"] for line in lines] == [last.pk - 1, last.pk]
    assert json.loads(lines[-1])["count"] == AuditEntry.objects.count()
    assert any("audit checkpoint" in message for message in caplog.messages)
    assert audit.verify_chain() == []


def test_deleting_the_newest_20_and_moving_the_head_back_is_found(staff_b):
    for _ in range(30):
        audit.record("view", actor=staff_b)
    audit.write_checkpoint()
    entries = list(AuditEntry.objects.order_by("pk"))
    keep = entries[-21]
    with tampering() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id > %s", [keep.pk])
    AuditChainHead.objects.filter(pk=1).update(last_hash=keep.entry_hash)
    problems = audit.verify_chain()
    assert problems == [
        f"entries up to {entries[-1].pk} (checkpoint of {audit.read_checkpoints()[-1]['written_at']}) were removed or altered"
    ]
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")


def test_deleting_everything_is_found(staff_b):
    for _ in range(5):
        audit.record("view", actor=staff_b)
    audit.write_checkpoint()
    with tampering() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    AuditChainHead.objects.all().delete()
    assert AuditEntry.objects.count() == 0
    assert any("were removed" in p for p in audit.verify_chain())


def test_rewriting_one_entry_and_recomputing_the_rest_with_plain_sha256_is_found(staff_b):
    for _ in range(6):
        audit.record("view", actor=staff_b)
    entries = list(AuditEntry.objects.order_by("pk"))
    target = entries[2]
    previous = target.previous_hash
    with tampering() as cursor:
        cursor.execute("UPDATE core_auditentry SET detail = %s WHERE id = %s", ["rewritten", target.pk])
        for entry in AuditEntry.objects.order_by("pk").filter(pk__gte=target.pk):
            new_hash = _plain_sha256(previous, entry)
            cursor.execute(
                "UPDATE core_auditentry SET previous_hash = %s, entry_hash = %s WHERE id = %s",
                [previous, new_hash, entry.pk],
            )
            previous = new_hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=previous)
    problems = audit.verify_chain()
    assert [p for p in problems if "altered" in p] == [f"entry {e.pk}: its contents were altered" for e in entries[2:]]


def test_a_forged_or_rewritten_checkpoint_is_found(staff_b, settings):
    audit.record("view", actor=staff_b)
    audit.write_checkpoint()
    line = json.loads(settings.AUDIT_CHECKPOINT_PATH.read_text())
    line["count"] = 0
    settings.AUDIT_CHECKPOINT_PATH.write_text(json.dumps(line) + "\n")
    assert "checkpoint 1: not written with the trail's key" in audit.verify_chain()


def test_the_migration_rekeys_old_sha256_entries_and_records_it(staff_b):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("core.migrations.0005_audit_hmac_append_only")
    for _ in range(3):
        audit.record("view", actor=staff_b)
    # Turn the chain back into what 0004 left: plain SHA-256.
    previous = audit.GENESIS
    with tampering() as cursor:
        for entry in AuditEntry.objects.order_by("pk"):
            new_hash = _plain_sha256(previous, entry)
            cursor.execute(
                "UPDATE core_auditentry SET previous_hash = %s, entry_hash = %s WHERE id = %s",
                [previous, new_hash, entry.pk],
            )
            previous = new_hash
        AuditChainHead.objects.filter(pk=1).update(last_hash=previous)
        assert audit.verify_chain() != []
        migration.rekey(apps, None)
    assert audit.verify_chain() == []
    note = AuditEntry.objects.latest("pk")
    assert note.action == "audit_chain_rekeyed"
    assert note.detail == "3 entries re-keyed with HMAC-SHA256; SHA-256 chain before: intact"
