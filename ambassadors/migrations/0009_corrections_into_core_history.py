"""The corrections of terms, activities and answers move into the one history (core.Correction), every row kept."""

from django.db import migrations

LINKS = ("appointment", "activity", "feedback")


def into_core(apps, schema_editor):
    old_model = apps.get_model("ambassadors", "Correction")
    new_model = apps.get_model("core", "Correction")
    content_type = apps.get_model("contenttypes", "ContentType")
    types = {link: content_type.objects.get_or_create(app_label="ambassadors", model=link)[0] for link in LINKS}
    rows = []
    for old in old_model.objects.order_by("pk").iterator():
        link = next(link for link in LINKS if getattr(old, f"{link}_id") is not None)
        rows.append(
            new_model(
                organisation_id=old.organisation_id,
                content_type=types[link],
                object_id=getattr(old, f"{link}_id"),
                changes=old.changes,
                reason=old.reason,
                corrected_by_id=old.corrected_by_id,
                corrected_at=old.created_at,
            )
        )
    new_model.objects.bulk_create(rows)


def back_from_core(apps, schema_editor):
    old_model = apps.get_model("ambassadors", "Correction")
    new_model = apps.get_model("core", "Correction")
    content_type = apps.get_model("contenttypes", "ContentType")
    for link in LINKS:
        type_ = content_type.objects.filter(app_label="ambassadors", model=link).first()
        if type_ is None:
            continue
        for new in new_model.objects.filter(content_type=type_).order_by("pk"):
            old = old_model.objects.create(
                organisation_id=new.organisation_id,
                changes=new.changes,
                reason=new.reason,
                corrected_by_id=new.corrected_by_id,
                **{f"{link}_id": new.object_id},
            )
            # created_at is auto_now_add: set the original moment afterwards.
            old_model.objects.filter(pk=old.pk).update(created_at=new.corrected_at)
            new.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ambassadors", "0008_list_order_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0005_correction_history"),
    ]

    operations = [
        migrations.RunPython(into_core, back_from_core),
        migrations.DeleteModel(name="Correction"),
    ]
