import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import Officer
from accounts.tests.factories import TEST_PASSWORD, enable_totp
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_login_failure_and_logout_are_recorded_without_secrets(client, staff_b):
    client.post(reverse("account_login"), {"login": staff_b.email, "password": "geheim-fout"})
    client.post(reverse("account_login"), {"login": staff_b.email, "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("account_logout"))
    assert actions() == ["login_failed", "login", "logout"]
    login = AuditEntry.objects.get(action="login")
    assert login.actor_id == staff_b.pk and login.origin == "10.1.2.3"
    dumped = " ".join(str(v) for v in AuditEntry.objects.values_list("detail", "actor_label", "object_id"))
    assert "geheim-fout" not in dumped and TEST_PASSWORD not in dumped


def test_lockout_is_recorded(client, staff_b):
    for _ in range(6):
        client.post(reverse("account_login"), {"login": staff_b.email, "password": "fout"})
    assert "login_locked_out" in actions()


def test_wrong_totp_is_recorded(client, officer):
    enable_totp(officer)
    client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "mfa_failed" in actions()


def test_permission_denied_is_recorded(client_as, staff_b):
    client_as(staff_b).get(reverse("accounts:people"))
    entry = AuditEntry.objects.get(action="permission_denied")
    assert entry.actor_id == staff_b.pk and entry.result == "denied" and entry.detail == reverse("accounts:people")


def test_role_changes_are_recorded_by_the_services_that_make_them(officer, staff_b, department_a):
    services.officer_appoint(organisation=officer.organisation, actor=officer, user=staff_b, kind=Officer.Kind.ISO)
    services.department_correct(
        department=department_a, actor=officer, remove_managers=[], add_manager=staff_b, webhook=None
    )
    entries = AuditEntry.objects.filter(action="role_change", object_id=str(staff_b.pk))
    details = list(entries.values_list("detail", flat=True))
    assert "officer iso added" in details and f"manager of department {department_a.pk} added" in details
    assert set(entries.values_list("actor_id", flat=True)) == {officer.pk}


def test_a_role_changed_outside_a_service_is_not_recorded_by_a_signal(staff_b, department_a):
    """Audit comes from the services only: a bare model write (a fixture, a migration) leaves no entry."""
    Officer.objects.create(user=staff_b, kind=Officer.Kind.ISO)
    department_a.managers.add(staff_b)
    assert not AuditEntry.objects.filter(action="role_change", object_id=str(staff_b.pk)).exists()


def test_logout_ends_every_session_of_the_user(staff_b):
    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        browser.post(reverse("account_login"), {"login": staff_b.email, "password": TEST_PASSWORD})
        assert browser.get("/").status_code == 200
    laptop.post(reverse("account_logout"))
    assert phone.get("/").status_code == 302


def test_deactivation_ends_the_session(client, staff_b):
    client.post(reverse("account_login"), {"login": staff_b.email, "password": TEST_PASSWORD})
    staff_b.is_active = False
    staff_b.save()
    assert client.get("/").status_code == 302
