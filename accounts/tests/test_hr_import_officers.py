"""An HR import keeps the organisation's rules: never the last CISO, officers only with explicit confirmation."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import hr_import
from accounts.models import User
from accounts.tests.factories import OfficerFactory, UserFactory
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

HEADER = "e-mailadres;naam;afdelingscode;afdeling;actief\n"


def rows_of(text: str):
    return hr_import.read_rows(io.BytesIO(text.encode("utf-8")), "hr.csv")


def _row(user, active="nee"):
    return f"{user.email};{user.full_name};{user.department.code};{user.department.name};{active}\n"


def test_the_last_ciso_is_never_deactivated(officer):
    for officers in ("confirm", "refuse"):
        plan = hr_import.plan_import(
            officer.organisation,
            rows_of(HEADER + _row(officer)),
            apply=True,
            officers=officers,
            confirmed={officer.email},
        )
        assert not plan.applied
        assert any("laatste actieve CISO" in error.message for error in plan.errors)
    officer.refresh_from_db()
    assert officer.is_active


def test_an_officer_is_deactivated_only_when_confirmed(officer, privacy_officer):
    rows = rows_of(HEADER + _row(privacy_officer))
    plan = hr_import.plan_import(officer.organisation, rows, apply=True)
    assert plan.ok and plan.needs_confirmation and not plan.applied
    assert [(loss.email, loss.roles) for loss in plan.officers_deactivated] == [
        (privacy_officer.email, ["Privacy Officer"])
    ]
    assert User.objects.get(pk=privacy_officer.pk).is_active
    plan = hr_import.plan_import(officer.organisation, rows, apply=True, confirmed={privacy_officer.email})
    assert plan.applied
    assert not User.objects.get(pk=privacy_officer.pk).is_active


def test_one_ciso_may_go_when_another_stays(officer, org, department_b):
    second = UserFactory(organisation=org, department=department_b, email="ciso2@voorbeeld.test")
    OfficerFactory(user=second, kind="ciso")
    rows = rows_of(HEADER + _row(officer))
    plan = hr_import.plan_import(org, rows, apply=True, confirmed={officer.email})
    assert plan.applied
    # Now the second is the last one.
    plan = hr_import.plan_import(org, rows_of(HEADER + _row(second)), apply=True, confirmed={second.email})
    assert not plan.applied and plan.errors


def test_an_employee_without_roles_is_deactivated_without_confirmation(officer, staff_b):
    plan = hr_import.plan_import(officer.organisation, rows_of(HEADER + _row(staff_b)), apply=True)
    assert plan.applied and not plan.officers_deactivated


def test_the_browser_asks_for_confirmation_listing_who_loses_which_role(client_as, officer, privacy_officer):
    client = client_as(officer)
    upload = SimpleUploadedFile("hr.csv", (HEADER + _row(privacy_officer)).encode())
    response = client.post(reverse("accounts:hr_import"), {"file": upload})
    content = response.content.decode()
    assert 'data-testid="import-officers"' in content
    assert "Ahmed Privacy (privacy@voorbeeld.test): Privacy Officer" in content
    token = response.context["token"]
    # Import now without ticking the confirmation: nothing is written, the file is kept for the next try.
    response = client.post(
        reverse("accounts:hr_import"), {"confirm": "1", "token": token, "officer": [privacy_officer.email]}
    )
    assert response.status_code == 200 and response.context["confirmation_missing"]
    assert "Er is niets geïmporteerd: bevestig" in response.content.decode()
    assert User.objects.get(pk=privacy_officer.pk).is_active
    response = client.post(
        reverse("accounts:hr_import"),
        {"confirm": "1", "token": token, "officer": [privacy_officer.email], "confirm_officers": "1"},
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=privacy_officer.pk).is_active
    assert AuditEntry.objects.filter(action="hr_import_officer_deactivated", object_id=str(privacy_officer.pk)).exists()


def test_the_browser_never_deactivates_the_last_ciso(client_as, officer):
    client = client_as(officer)
    upload = SimpleUploadedFile("hr.csv", (HEADER + _row(officer)).encode())
    response = client.post(reverse("accounts:hr_import"), {"file": upload})
    assert "laatste actieve CISO" in response.content.decode() and "token" not in response.context
