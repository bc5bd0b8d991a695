import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core import audit
from core.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db


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
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET actor_id = %s WHERE id = %s", [999, first.pk])
    assert any("altered" in p for p in audit.verify_chain())
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")


def test_a_removed_entry_is_found(staff_b):
    audit.record("view", actor=staff_b)
    middle = audit.record("view", actor=staff_b)
    audit.record("view", actor=staff_b)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [middle.pk])
    assert any("removed" in p for p in audit.verify_chain())


def test_removing_the_newest_entries_is_found(staff_b):
    audit.record("view", actor=staff_b)
    last = audit.record("view", actor=staff_b)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [last.pk])
    assert audit.verify_chain() == ["the newest entries were removed"]
    assert AuditChainHead.objects.get().last_hash == last.entry_hash
