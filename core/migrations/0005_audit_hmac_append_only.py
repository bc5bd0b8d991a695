"""Re-key the audit chain with HMAC-SHA256 and make the table refuse UPDATE and DELETE.

Every existing entry (chained with plain SHA-256) is MACed again, in order, under the key of ``core.audit`` (not in
the database); the old chain is checked first and an entry ``audit_chain_rekeyed`` records how many entries were
re-keyed and whether their SHA-256 chain was intact. Then a trigger refuses UPDATE and DELETE on the table, on
PostgreSQL and on SQLite alike.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations
from django.utils import timezone

GENESIS = "0" * 64
FIELDS = ("actor_id", "actor_label", "organisation_id", "action", "object_type", "object_id", "result", "origin", "detail")


def _key() -> bytes:
    explicit = getattr(settings, "AUDIT_HMAC_KEY", "")
    if explicit:
        return explicit.encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), b"ambassadeurs.core.audit.chain", hashlib.sha256).digest()


def _payload(previous: str, entry) -> bytes:
    fields = {"at": entry.at.isoformat(), **{name: getattr(entry, name) for name in FIELDS}}
    return (previous + json.dumps(fields, sort_keys=True, default=str, separators=(",", ":"))).encode("utf-8")


def rekey(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    key = _key()
    entries = list(AuditEntry.objects.order_by("pk"))
    if not entries:
        return
    intact = True
    old_previous = GENESIS
    new_previous = GENESIS
    for entry in entries:
        if entry.previous_hash != old_previous or hashlib.sha256(_payload(entry.previous_hash, entry)).hexdigest() != (
            entry.entry_hash
        ):
            intact = False
        old_previous = entry.entry_hash
        # The historical model has a plain manager: this is the one update the trail ever gets, before the trigger.
        new_hash = hmac.new(key, _payload(new_previous, entry), hashlib.sha256).hexdigest()
        AuditEntry._base_manager.filter(pk=entry.pk).update(previous_hash=new_previous, entry_hash=new_hash)
        new_previous = new_hash
    note = AuditEntry(
        at=timezone.now(),
        action="audit_chain_rekeyed",
        object_type="core.auditentry",
        object_id=str(entries[-1].pk),
        result="success" if intact else "failure",
        origin="migration",
        detail=f"{len(entries)} entries re-keyed with HMAC-SHA256; SHA-256 chain before: {'intact' if intact else 'broken'}",
        previous_hash=new_previous,
    )
    note.entry_hash = hmac.new(key, _payload(new_previous, note), hashlib.sha256).hexdigest()
    note.save()
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": note.entry_hash})


POSTGRES_TRIGGER = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit entries are append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_append_only();
"""
SQLITE_TRIGGERS = [
    "CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END",
    "CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused'); END",
]


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRIGGER)
    elif vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_calendar_feed_token"),
    ]

    operations = [
        migrations.RunPython(rekey, migrations.RunPython.noop),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
