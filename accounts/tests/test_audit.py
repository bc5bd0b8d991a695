"""Changes to roles, departments and the organisation are audited by the service that makes them (the one audit
layer, core.audit); no model signal keeps a second change history."""

import pytest
from django.conf import settings

from accounts import services
from accounts.models import Officer
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_services_audit_changes_to_roles_departments_and_the_organisation(officer, org, department_a, staff_b):
    services.officer_appoint(organisation=org, actor=officer, user=staff_b, kind=Officer.Kind.ISO)
    services.department_correct(
        department=department_a, actor=officer, remove_managers=[], add_manager=staff_b, webhook=None
    )
    services.organisation_update_settings(organisation=org, actor=officer, changes={"kvk_number": "87654321"})
    roles = AuditEntry.objects.filter(action="role_change", object_id=str(staff_b.pk), actor_id=officer.pk)
    assert set(roles.values_list("detail", flat=True)) == {
        f"officer {Officer.Kind.ISO} added",
        f"manager of department {department_a.pk} added",
    }
    assert AuditEntry.objects.filter(
        action="organisation_settings_changed", object_id=str(org.pk), detail="kvk_number", actor_id=officer.pk
    ).exists()


def test_no_second_change_history_is_kept():
    assert "auditlog" not in settings.INSTALLED_APPS
    assert not any("auditlog" in name for name in settings.MIDDLEWARE)
