"""Onboarding, the organisation settings, officer roles and department corrections."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Department, Officer, Organisation, User
from accounts.tests.factories import OfficerFactory, UserFactory
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

WEBHOOK = "https://voorbeeld.webhook.office.com/webhookb2/aaaa-bbbb/IncomingWebhook/cccc/SECRETSIGNATURE1234"

CISO_PAGES = ["accounts:organisation_settings", "accounts:officers"]
SUPERUSER_PAGES = ["accounts:organisations", "accounts:organisation_create"]


def _settings_data(**overrides) -> dict:
    data = {
        "legal_name": "Gemeente Voorbeeld",
        "street": "Raadhuisplein 1",
        "postcode": "1234 AB",
        "town": "Voorbeeld",
        "kvk_number": "12345678",
        "sector": "Openbaar bestuur",
        "dpo_name": "Fatima FG",
        "dpo_email": "fg@voorbeeld.test",
        "dpo_phone": "010 123 45 67",
        "dpo_ap_number": "FG001234",
        "privacy_contact_name": "Ahmed Privacy",
        "privacy_contact_email": "privacy@voorbeeld.test",
        "privacy_contact_phone": "010 765 43 21",
        "mail_sender_name": "Gemeente Voorbeeld – Informatieveiligheid",
        "mail_reply_to": "informatieveiligheid@voorbeeld.test",
        "teams_webhook_url": "",
        "dataleak_retention_days": "",
        "accessibility_statement_url": "",
    }
    data.update(overrides)
    return data


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 2), (21, 66, 115)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def superuser(org, department_b):
    return UserFactory(
        organisation=org, department=department_b, email="beheer@voorbeeld.test", is_superuser=True, is_staff=True
    )


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*CISO_PAGES, *SUPERUSER_PAGES, "accounts:organisation_logo"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", CISO_PAGES)
def test_only_a_ciso_reaches_the_settings(client_as, name, officer, privacy_officer, manager_a, staff_b, superuser):
    for user in (privacy_officer, manager_a, staff_b, superuser):
        assert client_as(user).get(reverse(name)).status_code == 403, user
    assert client_as(officer).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", SUPERUSER_PAGES)
def test_only_a_superuser_creates_organisations(client_as, name, officer, staff_b, superuser):
    for user in (officer, staff_b):
        assert client_as(user).get(reverse(name)).status_code == 403
    assert client_as(superuser).get(reverse(name)).status_code == 200


def test_the_department_correction_is_for_the_ciso(client_as, officer, privacy_officer, manager_a, department_a):
    url = reverse("accounts:department_edit", args=[department_a.pk])
    assert client_as(privacy_officer).get(url).status_code == 403
    assert client_as(manager_a).get(url).status_code == 403
    assert client_as(officer).get(url).status_code == 200
    assert (
        "Corrigeer" in client_as(officer).get(reverse("accounts:department", args=[department_a.pk])).content.decode()
    )


def test_nothing_crosses_organisations(client_as, officer, outsider, other_department):
    client = client_as(officer)
    assert client.get(reverse("accounts:department_edit", args=[other_department.pk])).status_code == 404
    other_role = Officer.objects.get(user=outsider)
    assert client.post(reverse("accounts:officer_end", args=[other_role.pk])).status_code == 404
    assert Officer.objects.filter(pk=other_role.pk).exists()
    response = client.post(reverse("accounts:officers"), {"email": outsider.email, "kind": "iso"})
    assert "Er is geen actieve medewerker met dit e-mailadres" in response.content.decode()
    assert not Officer.objects.filter(user=outsider, kind="iso").exists()
    assert "Gemeente Naburig" not in client.get(reverse("accounts:organisation_settings")).content.decode()


# --- Onboarding ---------------------------------------------------------------------------------


def test_create_organisation_invites_the_first_ciso(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_organisation", name="Gemeente Testdorp", ciso_email="ciso@testdorp.nl")
    organisation = Organisation.objects.get(name="Gemeente Testdorp")
    ciso = User.objects.get(email="ciso@testdorp.nl")
    assert organisation.slug == "gemeente-testdorp" and ciso.organisation == organisation
    assert not ciso.has_usable_password()
    assert Officer.objects.filter(user=ciso, kind=Officer.Kind.CISO).exists()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ciso@testdorp.nl"] and "Gemeente Testdorp" in mail.subject
    assert "/accounts/password/reset/key/" in mail.body and "tweede factor" in mail.body
    assert AuditEntry.objects.filter(action="organisation_created", object_id=str(organisation.pk)).exists()
    assert AuditEntry.objects.filter(action="role_change", object_id=str(ciso.pk)).count() == 1


def test_create_organisation_refuses_a_taken_name_or_address(db, officer):
    with pytest.raises(CommandError, match="Er bestaat al een organisatie met deze naam"):
        call_command("create_organisation", name="gemeente voorbeeld", ciso_email="nieuw@testdorp.nl")
    with pytest.raises(CommandError, match="Er bestaat al een account met dit e-mailadres"):
        call_command("create_organisation", name="Gemeente Testdorp", ciso_email=officer.email)
    assert not Organisation.objects.filter(name="Gemeente Testdorp").exists()


def test_a_superuser_creates_an_organisation_in_the_browser(
    client_as, superuser, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:organisation_create"),
            {"name": "Gemeente Testdorp", "ciso_email": "ciso@testdorp.nl", "ciso_name": "Carla CISO"},
        )
    assert response.status_code == 302
    ciso = User.objects.get(email="ciso@testdorp.nl")
    assert ciso.organisation.name == "Gemeente Testdorp" and ciso.full_name == "Carla CISO"
    assert len(mailoutbox) == 1 and "Beste Carla CISO" in mailoutbox[0].body
    listing = client.get(reverse("accounts:organisations")).content.decode()
    assert "Gemeente Testdorp" in listing


def test_the_create_page_keeps_what_was_typed(client_as, superuser, officer):
    response = client_as(superuser).post(
        reverse("accounts:organisation_create"),
        {"name": "Gemeente Testdorp", "ciso_email": officer.email, "ciso_name": "Carla"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Er bestaat al een account met dit e-mailadres" in body
    assert 'value="Gemeente Testdorp"' in body and "data-error-summary" in body
    assert not Organisation.objects.filter(name="Gemeente Testdorp").exists()


def test_seed_demo_stays_idempotent(db):
    call_command("seed_demo")
    counts = (Organisation.objects.count(), User.objects.count(), Officer.objects.count())
    call_command("seed_demo")
    assert (Organisation.objects.count(), User.objects.count(), Officer.objects.count()) == counts


# --- Settings -----------------------------------------------------------------------------------


def test_the_ciso_fills_in_the_settings(client_as, officer, org):
    response = client_as(officer).post(
        reverse("accounts:organisation_settings"), _settings_data(teams_webhook_url=WEBHOOK, postcode="1234ab")
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.kvk_number == "12345678" and org.postcode == "1234 AB" and org.dpo_name == "Fatima FG"
    assert org.teams_webhook_url == WEBHOOK
    entries = AuditEntry.objects.filter(action="organisation_settings_changed", object_id=str(org.pk))
    assert {"kvk_number", "dpo_name"} <= set(entries.values_list("detail", flat=True))
    hook_entry = entries.get(detail__startswith="teams_webhook_url")
    assert "SECRETSIGNATURE" not in hook_entry.detail and hook_entry.detail.endswith("1234")
    assert entries.first().actor_id == officer.pk


def test_the_webhook_is_shown_masked_and_kept_when_left_empty(client_as, officer, org):
    org.teams_webhook_url = WEBHOOK
    org.save()
    client = client_as(officer)
    page = client.get(reverse("accounts:organisation_settings")).content.decode()
    assert "SECRETSIGNATURE" not in page and "voorbeeld.webhook.office.com/…1234" in page
    client.post(reverse("accounts:organisation_settings"), _settings_data(legal_name="Gemeente Voorbeeld (nieuw)"))
    org.refresh_from_db()
    assert org.teams_webhook_url == WEBHOOK and org.legal_name == "Gemeente Voorbeeld (nieuw)"
    client.post(reverse("accounts:organisation_settings"), _settings_data(teams_webhook_clear="on"))
    org.refresh_from_db()
    assert org.teams_webhook_url == ""


def test_secrets_never_reach_the_audit_trail(client_as, officer, org, department_a):
    client_as(officer).post(reverse("accounts:organisation_settings"), _settings_data(teams_webhook_url=WEBHOOK))
    client_as(officer).post(
        reverse("accounts:department_edit", args=[department_a.pk]), {"teams_webhook_url": WEBHOOK + "X"}
    )
    trail = " ".join(AuditEntry.objects.values_list("detail", flat=True))
    assert "SECRETSIGNATURE" not in trail
    # The service audits every change: the master data by field, the department's webhook masked.
    assert AuditEntry.objects.filter(action="organisation_settings_changed", detail="kvk_number").exists()
    assert AuditEntry.objects.filter(action="department_settings_changed", object_id=str(department_a.pk)).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("teams_webhook_url", "http://voorbeeld.webhook.office.com/x", "moet beginnen met https://"),
        ("kvk_number", "1234567", "Een KvK-nummer heeft precies 8 cijfers."),
        ("kvk_number", "1234567a", "Een KvK-nummer heeft precies 8 cijfers."),
        ("postcode", "12345", "Vul een Nederlandse postcode in"),
        ("dpo_email", "geen-adres", "Voer een geldig e-mailadres in."),
    ],
)
def test_bad_input_changes_nothing_and_keeps_what_was_typed(client_as, officer, org, field, value, message):
    response = client_as(officer).post(
        reverse("accounts:organisation_settings"), _settings_data(**{field: value, "legal_name": "Nieuwe naam"})
    )
    body = response.content.decode()
    assert response.status_code == 200 and message in body and "data-error-summary" in body
    assert value in body and 'value="Nieuwe naam"' in body
    org.refresh_from_db()
    assert org.legal_name == "" and org.kvk_number == ""
    assert not AuditEntry.objects.filter(action="organisation_settings_changed").exists()


def test_a_logo_is_shown_to_its_own_organisation_only(client_as, officer, staff_b, outsider, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = _png()
    data = _settings_data()
    data["logo"] = SimpleUploadedFile("logo.png", png, content_type="image/png")
    assert client_as(officer).post(reverse("accounts:organisation_settings"), data).status_code == 302
    org.refresh_from_db()
    assert org.logo and "logo" not in org.logo.name.rsplit("/", 1)[1]  # stored under a random name
    response = client_as(staff_b).get(reverse("accounts:organisation_logo"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png
    assert client_as(outsider).get(reverse("accounts:organisation_logo")).status_code == 404
    assert reverse("accounts:organisation_logo") in client_as(staff_b).get(reverse("home")).content.decode()


def test_a_logo_that_is_not_an_image_is_refused(client_as, officer, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _settings_data()
    data["logo"] = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client_as(officer).post(reverse("accounts:organisation_settings"), data)
    assert response.status_code == 200 and "data-error-summary" in response.content.decode()
    org.refresh_from_db()
    assert not org.logo


@pytest.mark.parametrize("upload", ["valid", "not an image"])
def test_after_a_validation_error_the_page_shows_no_logo_that_is_not_stored(client_as, officer, org, upload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = _png() if upload == "valid" else b"<svg onload=alert(1)>"
    data = _settings_data(dpo_email="geen-adres")
    data["logo"] = SimpleUploadedFile("logo.png", content, content_type="image/png")
    response = client_as(officer).post(reverse("accounts:organisation_settings"), data)
    assert response.status_code == 200 and "data-error-summary" in response.content.decode()
    # The preview (and the header) show the stored logo, and there is none: no image that cannot load.
    assert reverse("accounts:organisation_logo") not in response.content.decode()


def test_the_settings_page_links_its_sub_pages(client_as, officer):
    body = client_as(officer).get(reverse("accounts:organisation_settings")).content.decode()
    assert reverse("accounts:officers") in body and 'aria-current="page"' in body


# --- Officer roles ------------------------------------------------------------------------------


def test_the_ciso_appoints_a_privacy_officer(client_as, officer, staff_b):
    response = client_as(officer).post(
        reverse("accounts:officers"), {"email": staff_b.email.upper(), "kind": "privacy_officer"}
    )
    assert response.status_code == 302
    assert Officer.objects.filter(user=staff_b, kind="privacy_officer", is_deputy=False).exists()
    entry = AuditEntry.objects.filter(action="role_change", object_id=str(staff_b.pk)).get()
    assert entry.actor_id == officer.pk and entry.detail == "officer privacy_officer added"


def test_appointing_again_changes_the_deputy_flag(client_as, officer, privacy_officer):
    client = client_as(officer)
    client.post(
        reverse("accounts:officers"), {"email": privacy_officer.email, "kind": "privacy_officer", "is_deputy": "on"}
    )
    assert Officer.objects.get(user=privacy_officer).is_deputy
    response = client.post(
        reverse("accounts:officers"), {"email": privacy_officer.email, "kind": "privacy_officer", "is_deputy": "on"}
    )
    assert "Deze medewerker heeft deze rol al." in response.content.decode()


def test_a_new_officer_sets_up_the_second_factor_before_any_page(client_as, officer, staff_b, client):
    client_as(staff_b)  # signed in as plain staff, without a second factor
    assert client.get(reverse("home")).status_code == 200
    from accounts.services import officer_appoint

    officer_appoint(organisation=officer.organisation, actor=officer, user=staff_b, kind="iso")
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")


def test_the_last_ciso_cannot_end_their_own_role(client_as, officer):
    role = Officer.objects.get(user=officer, kind="ciso")
    response = client_as(officer).post(reverse("accounts:officer_end", args=[role.pk]), follow=True)
    assert "De organisatie heeft ten minste één CISO nodig." in response.content.decode()
    assert Officer.objects.filter(pk=role.pk).exists()
    assert AuditEntry.objects.filter(action="role_change", result=AuditEntry.Result.DENIED).exists()


def test_with_a_second_ciso_a_role_can_end(client_as, officer, staff_b, privacy_officer):
    OfficerFactory(user=staff_b, kind="ciso")
    client = client_as(officer)
    role = Officer.objects.get(user=privacy_officer)
    assert client.post(reverse("accounts:officer_end", args=[role.pk])).status_code == 302
    assert not Officer.objects.filter(pk=role.pk).exists()
    own = Officer.objects.get(user=officer, kind="ciso")
    response = client.post(reverse("accounts:officer_end", args=[own.pk]))
    assert response.status_code == 302 and response.url == reverse("home")
    assert not Officer.objects.filter(pk=own.pk).exists()
    details = list(AuditEntry.objects.filter(action="role_change").values_list("detail", flat=True))
    assert "officer privacy_officer removed" in details and "officer ciso removed" in details


# --- Department corrections ---------------------------------------------------------------------


def test_the_ciso_corrects_a_departments_managers_and_webhook(client_as, officer, manager_a, staff_b, department_a):
    url = reverse("accounts:department_edit", args=[department_a.pk])
    response = client_as(officer).post(
        url, {"remove_managers": [manager_a.pk], "add_manager": staff_b.email, "teams_webhook_url": WEBHOOK}
    )
    assert response.status_code == 302
    department_a.refresh_from_db()
    assert list(department_a.managers.all()) == [staff_b] and department_a.teams_webhook_url == WEBHOOK
    details = set(AuditEntry.objects.filter(actor_id=officer.pk).values_list("detail", flat=True))
    assert f"manager of department {department_a.pk} removed" in details
    assert f"manager of department {department_a.pk} added" in details


def test_a_bad_department_webhook_changes_nothing(client_as, officer, manager_a, department_a):
    url = reverse("accounts:department_edit", args=[department_a.pk])
    response = client_as(officer).post(
        url, {"remove_managers": [manager_a.pk], "teams_webhook_url": "http://example.test/hook"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "moet beginnen met https://" in body and "http://example.test/hook" in body
    department_a.refresh_from_db()
    assert list(department_a.managers.all()) == [manager_a] and department_a.teams_webhook_url == ""


# --- Accessibility and the privacy contact ------------------------------------------------------


def test_the_accessibility_statement_is_public(client, org):
    response = client.get(reverse("accessibility"))
    body = response.content.decode()
    assert response.status_code == 200 and "WCAG 2.2" in body and "EN 301 549" in body and "axe-core" in body


def test_the_organisations_registered_statement_is_linked(client_as, staff_b, org):
    org.accessibility_statement_url = "https://www.toegankelijkheidsverklaring.nl/register/123"
    org.save()
    body = client_as(staff_b).get(reverse("accessibility")).content.decode()
    assert "https://www.toegankelijkheidsverklaring.nl/register/123" in body
    assert reverse("accessibility") in client_as(staff_b).get(reverse("home")).content.decode()


def test_staff_see_the_privacy_officer_contact_on_the_home_page(client_as, staff_b, privacy_officer, org):
    body = client_as(staff_b).get(reverse("home")).content.decode()
    assert privacy_officer.email in body  # no contact entered: the Privacy Officers
    org.privacy_contact_name = "Loket Privacy"
    org.privacy_contact_email = "loket@voorbeeld.test"
    org.privacy_contact_phone = "010 111 22 33"
    org.save()
    body = client_as(staff_b).get(reverse("home")).content.decode()
    assert "Loket Privacy" in body and "mailto:loket@voorbeeld.test" in body and "tel:0101112233" in body


def test_the_header_names_the_organisation(client_as, staff_b):
    body = client_as(staff_b).get(reverse("home")).content.decode()
    assert 'data-testid="header-organisation">Gemeente Voorbeeld<' in body


def test_the_organisation_list_runs_a_fixed_number_of_queries(
    client_as, superuser, other_org, django_assert_max_num_queries
):
    client = client_as(superuser)
    client.get(reverse("accounts:organisations"))
    with django_assert_max_num_queries(12):
        client.get(reverse("accounts:organisations"))
    Department.objects.create(organisation=other_org, name="Extra", code="EX")
    from accounts.tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(5)
    with django_assert_max_num_queries(12):
        client.get(reverse("accounts:organisations"))


def test_the_officers_page_runs_a_fixed_number_of_queries(client_as, officer, org, django_assert_max_num_queries):
    client = client_as(officer)
    client.get(reverse("accounts:officers"))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("accounts:officers"))
    for index in range(6):
        OfficerFactory(user=UserFactory(organisation=org, email=f"iso{index}@voorbeeld.test"), kind="iso")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("accounts:officers"))


def test_the_admin_never_shows_a_webhook(client_as, superuser, org, department_a):
    org.teams_webhook_url = WEBHOOK
    org.save()
    client = client_as(superuser)
    assert "SECRETSIGNATURE" not in client.get(f"/beheer/accounts/organisation/{org.pk}/change/").content.decode()
    assert (
        "SECRETSIGNATURE" not in client.get(f"/beheer/accounts/department/{department_a.pk}/change/").content.decode()
    )


def test_a_password_chosen_through_the_mailed_link_verifies_the_address(rf, staff_b):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import password_reset

    EmailAddress.objects.create(user=staff_b, email=staff_b.email, primary=True, verified=False)
    password_reset.send(sender=User, request=rf.get("/"), user=staff_b)
    assert EmailAddress.objects.get(user=staff_b).verified
    other = UserFactory(organisation=staff_b.organisation, email="nieuw@voorbeeld.test")
    password_reset.send(sender=User, request=rf.get("/"), user=other)
    assert EmailAddress.objects.get(user=other).verified
