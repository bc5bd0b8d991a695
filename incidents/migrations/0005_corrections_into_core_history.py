"""The corrections kept as timeline text (DataLeakEvent of kind "correction") move into the one history
(core.Correction) of their data leak, every entry kept: the text before its last "Reason:" becomes the description,
the rest the reason; then the kind goes.
"""

from django.db import migrations, models


def split(text: str) -> tuple[str, str]:
    """(description, reason) of a correction's timeline text."""
    for label in ("Reden:", "Reason:"):
        at = text.rfind(label)
        if at >= 0:
            return text[:at].strip(), text[at + len(label) :].strip() or text.strip()
    return "", text.strip()


def into_core(apps, schema_editor):
    event_model = apps.get_model("incidents", "DataLeakEvent")
    new_model = apps.get_model("core", "Correction")
    content_type = apps.get_model("contenttypes", "ContentType")
    type_ = content_type.objects.get_or_create(app_label="incidents", model="dataleak")[0]
    events = event_model.objects.filter(kind="correction").select_related("leak").order_by("pk")
    rows = []
    for event in events:
        description, reason = split(event.text)
        rows.append(
            new_model(
                organisation_id=event.leak.organisation_id,
                content_type=type_,
                object_id=event.leak_id,
                description=description,
                reason=reason,
                corrected_by_id=event.actor_id,
                corrected_at=event.created_at,
            )
        )
    new_model.objects.bulk_create(rows)
    events.delete()


def back_from_core(apps, schema_editor):
    event_model = apps.get_model("incidents", "DataLeakEvent")
    new_model = apps.get_model("core", "Correction")
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ("dataleak", "apnotification", "subjectnotification"):
        type_ = content_type.objects.filter(app_label="incidents", model=model).first()
        if type_ is None:
            continue
        parent = apps.get_model("incidents", model)
        for correction in new_model.objects.filter(content_type=type_).order_by("pk"):
            record = parent.objects.filter(pk=correction.object_id).first()
            if record is None:
                continue
            lines = [correction.description] if correction.description else []
            lines += [f"{change['field']}: {change['old']} → {change['new']}" for change in correction.changes]
            lines.append(f"Reden: {correction.reason}")
            event_model.objects.create(
                leak_id=record.pk if model == "dataleak" else record.leak_id,
                kind="correction",
                text="\n".join(lines),
                actor_id=correction.corrected_by_id,
                created_at=correction.corrected_at,
            )
            correction.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0004_list_order_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0005_correction_history"),
    ]

    operations = [
        migrations.RunPython(into_core, back_from_core),
        migrations.AlterField(
            model_name="dataleakevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("reported", "Reported"),
                    ("status", "Status changed"),
                    ("note", "Note"),
                    ("decision", "Decision"),
                    ("assignment", "Assignment"),
                    ("assessment", "Assessment updated"),
                    ("notification", "Notification"),
                    ("lesson", "Lesson learned"),
                    ("erasure", "Details erased"),
                    ("reopened", "Reopened"),
                    ("addition", "Addition by the reporter"),
                    ("letter", "Letter to the data subjects"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
    ]
