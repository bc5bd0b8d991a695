"""The corrections of KPI measurements move into the one history (core.Correction), every row kept.

The old table kept only the values before each correction; the values after it are the next correction's "before",
or the measurement's current values for the newest one.
"""

from django.conf import settings
from django.db import migrations
from django.utils import translation

FIELDS = ("value", "measured_on", "source")


def _text(value) -> str:
    if value in (None, ""):
        return "–"
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return str(value)


def into_core(apps, schema_editor):
    old_model = apps.get_model("programme", "KpiMeasurementCorrection")
    measurement_model = apps.get_model("programme", "KpiMeasurement")
    new_model = apps.get_model("core", "Correction")
    content_type = apps.get_model("contenttypes", "ContentType")
    type_ = content_type.objects.get_or_create(app_label="programme", model="kpimeasurement")[0]
    with translation.override(settings.LANGUAGE_CODE):
        labels = {name: translation.gettext(str(measurement_model._meta.get_field(name).verbose_name)) for name in FIELDS}
    rows = []
    measurements = measurement_model.objects.filter(corrections__isnull=False).distinct().select_related("kpi__goal")
    for measurement in measurements:
        corrections = list(old_model.objects.filter(measurement=measurement).order_by("corrected_at", "pk"))
        for index, correction in enumerate(corrections):
            before = {name: _text(getattr(correction, f"previous_{name}")) for name in FIELDS}
            following = corrections[index + 1] if index + 1 < len(corrections) else None
            after = {
                name: _text(getattr(following, f"previous_{name}") if following else getattr(measurement, name))
                for name in FIELDS
            }
            changes = [
                {"field": labels[name], "old": before[name], "new": after[name]}
                for name in FIELDS
                if before[name] != after[name]
            ]
            rows.append(
                new_model(
                    organisation_id=measurement.kpi.goal.organisation_id,
                    content_type=type_,
                    object_id=measurement.pk,
                    # A correction that changed nothing visible still keeps the value it had, with its reason.
                    changes=changes or [{"field": labels["value"], "old": before["value"], "new": after["value"]}],
                    reason=correction.reason,
                    corrected_by_id=correction.corrected_by_id,
                    corrected_at=correction.corrected_at,
                )
            )
    new_model.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0007_corrections_and_hour_budget"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0005_correction_history"),
    ]

    operations = [
        # Not reversible without loss of the new history's rows: the old table could not hold them.
        migrations.RunPython(into_core, migrations.RunPython.noop),
        migrations.DeleteModel(name="KpiMeasurementCorrection"),
    ]
