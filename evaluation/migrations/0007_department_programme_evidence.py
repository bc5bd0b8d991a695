"""The built-in control 6.3 (awareness) names the department year programmes as evidence too (issue #32)."""

from django.db import migrations

KIND = "department_programmes"


def add(apps, schema_editor):
    control_model = apps.get_model("evaluation", "Control")
    for control in control_model.objects.filter(framework__organisation__isnull=True, code="6.3"):
        if KIND not in control.evidence_kinds:
            kinds = list(control.evidence_kinds)
            kinds.insert(kinds.index("topics_published") + 1 if "topics_published" in kinds else len(kinds), KIND)
            control.evidence_kinds = kinds
            control.save(update_fields=["evidence_kinds"])


def remove(apps, schema_editor):
    control_model = apps.get_model("evaluation", "Control")
    for control in control_model.objects.filter(framework__organisation__isnull=True, code="6.3"):
        if KIND in control.evidence_kinds:
            control.evidence_kinds = [k for k in control.evidence_kinds if k != KIND]
            control.save(update_fields=["evidence_kinds"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0006_dashboard_rollup")]

    operations = [migrations.RunPython(add, remove)]
