import pytest
from auditlog.models import LogEntry

from accounts.models import Officer

pytestmark = pytest.mark.django_db


def test_changes_to_users_departments_and_roles_are_audited(officer, department_a, staff_b):
    staff_b.job_title = "Senior adviseur"
    staff_b.save()
    department_a.managers.add(staff_b)
    Officer.objects.create(user=staff_b, kind=Officer.Kind.ISO)
    models = set(LogEntry.objects.values_list("content_type__model", flat=True))
    assert {"user", "department", "officer"} <= models
    change = LogEntry.objects.filter(content_type__model="user", object_pk=str(staff_b.pk)).latest("timestamp")
    assert "job_title" in change.changes_dict
    assert "password" not in str(LogEntry.objects.filter(content_type__model="user").values_list("changes", flat=True))
