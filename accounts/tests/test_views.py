import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OFFICER_PAGES = ["accounts:people", "accounts:departments", "accounts:invite", "accounts:hr_import"]


@pytest.mark.parametrize("name", [*OFFICER_PAGES, "accounts:preferences", "home"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", OFFICER_PAGES)
def test_staff_manager_and_ambassador_get_403(client_as, staff_b, manager_a, ambassador_a, name):
    for user in (staff_b, manager_a, ambassador_a):
        response = client_as(user).get(reverse(name))
        assert response.status_code == 403
        assert "U heeft geen toegang tot deze pagina" in response.content.decode()


def test_officer_sees_only_people_of_their_own_organisation(client_as, officer, staff_b, outsider):
    response = client_as(officer).get(reverse("accounts:people"))
    assert response.status_code == 200
    people = list(response.context["page"])
    assert staff_b in people and outsider not in people


def test_people_list_runs_a_fixed_number_of_queries(client_as, officer, department_b, django_assert_max_num_queries):
    client = client_as(officer)
    for index in range(60):
        UserFactory(organisation=officer.organisation, department=department_b, email=f"p{index}@voorbeeld.test")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:people"))
    assert response.status_code == 200 and len(response.context["page"]) == 50


def test_people_search(client_as, officer, staff_b):
    response = client_as(officer).get(reverse("accounts:people"), {"q": "Tom"})
    assert [p.email for p in response.context["page"]] == [staff_b.email]


def test_department_list_counts_members_in_a_fixed_number_of_queries(
    client_as, officer, department_a, team_a, department_b, staff_a, django_assert_max_num_queries
):
    client = client_as(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:departments"))
    counts = {d.code: d.member_count for d in response.context["departments"]}
    assert counts["A1"] == 1


def test_department_of_another_organisation_is_404(client_as, officer, other_department, department_a):
    client = client_as(officer)
    assert client.get(reverse("accounts:department", args=[other_department.pk])).status_code == 404
    assert client.get(reverse("accounts:department", args=[department_a.pk])).status_code == 200


def test_invite_creates_the_account_and_mails_after_commit(
    client_as, officer, department_a, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invite"),
            {
                "full_name": "Nieuwe Collega",
                "email": "Nieuw@Voorbeeld.test",
                "department": department_a.pk,
                "language": "nl",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@voorbeeld.test")
    assert user.organisation == officer.organisation and not user.has_usable_password()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nieuw@voorbeeld.test"]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_invite_refuses_bad_input_in_dutch_and_keeps_it(client_as, officer, staff_b, other_department):
    client = client_as(officer)
    response = client.post(
        reverse("accounts:invite"),
        {"full_name": "Dubbel", "email": staff_b.email, "department": other_department.pk, "language": "nl"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Er bestaat al een account met dit e-mailadres." in content
    assert "Selecteer een geldige keuze" in content  # a department of another organisation
    assert 'value="Dubbel"' in content


def test_invite_ignores_extra_post_fields(client_as, officer, department_a, other_org):
    client_as(officer).post(
        reverse("accounts:invite"),
        {
            "full_name": "X",
            "email": "x@voorbeeld.test",
            "department": department_a.pk,
            "language": "nl",
            "is_superuser": "on",
            "is_staff": "on",
            "organisation": other_org.pk,
        },
    )
    user = User.objects.get(email="x@voorbeeld.test")
    assert not user.is_superuser and not user.is_staff and user.organisation == officer.organisation


def test_hr_import_page_dry_run_then_confirm(client_as, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(officer)
    csv = b"e-mailadres;naam;afdelingscode;afdeling\nn.n@voorbeeld.test;N N;ICT;ICT\n"
    response = client.post(reverse("accounts:hr_import"), {"file": SimpleUploadedFile("hr.csv", csv)})
    assert response.status_code == 200 and response.context["plan"].ok
    assert not User.objects.filter(email="n.n@voorbeeld.test").exists()
    response = client.post(reverse("accounts:hr_import"), {"confirm": "1", "token": response.context["token"]})
    assert response.status_code == 302
    assert User.objects.get(email="n.n@voorbeeld.test").organisation == officer.organisation


def test_hr_import_page_shows_row_errors(client_as, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = b"e-mailadres;naam;afdelingscode;afdeling\nfout;N N;ICT;ICT\n"
    response = client_as(officer).post(reverse("accounts:hr_import"), {"file": SimpleUploadedFile("hr.csv", csv)})
    content = response.content.decode()
    assert "Het bestand bevat fouten; er is niets geïmporteerd" in content
    assert "Regel 2" in content and "token" not in response.context


def test_hr_import_confirm_with_a_stale_token_is_refused(client_as, officer):
    response = client_as(officer).post(reverse("accounts:hr_import"), {"confirm": "1", "token": "nope"}, follow=True)
    assert "Het geüploade bestand is niet meer beschikbaar" in response.content.decode()


def test_preferences_change_the_language(client_as, staff_b):
    client = client_as(staff_b)
    response = client.post(reverse("accounts:preferences"), {"language": "en"})
    assert response.status_code == 302
    staff_b.refresh_from_db()
    assert staff_b.language == "en"
    assert "Preferences" in client.get(reverse("accounts:preferences")).content.decode()


def test_home_page_per_role(client_as, staff_b, officer, manager_a, ambassador_a):
    assert "Iedereen helpt" in client_as(staff_b).get("/").content.decode()
    assert "Als functionaris" in client_as(officer).get("/").content.decode()
    assert "Als leidinggevende" in client_as(manager_a).get("/").content.decode()
    assert "Als ambassadeur" in client_as(ambassador_a).get("/").content.decode()


def test_navigation_shows_organisation_menu_to_officers_only(client_as, staff_b, officer):
    assert reverse("accounts:people") not in client_as(staff_b).get("/").content.decode()
    assert reverse("accounts:people") in client_as(officer).get("/").content.decode()


def test_set_language_refuses_an_offsite_next(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/"
    assert response.cookies["django_language"].value == "en"


def test_pages_behind_login_are_not_cached(client_as, staff_b):
    assert client_as(staff_b).get("/")["Cache-Control"] == "no-store"


def test_security_headers(client_as, staff_b):
    response = client_as(staff_b).get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
