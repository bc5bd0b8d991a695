"""The personal calendar links move to core's one feed-token model; existing links keep working."""

from django.db import migrations


def forwards(apps, schema_editor):
    old = apps.get_model("training", "CalendarFeed")
    new = apps.get_model("core", "CalendarFeedToken")
    new.objects.bulk_create(
        [new(user_id=row.user_id, feed="training", token=row.token) for row in old.objects.all()],
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):
    old = apps.get_model("training", "CalendarFeed")
    new = apps.get_model("core", "CalendarFeedToken")
    old.objects.bulk_create(
        [old(user_id=row.user_id, token=row.token) for row in new.objects.filter(feed="training")],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("core", "0004_calendar_feed_token"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="CalendarFeed"),
    ]
