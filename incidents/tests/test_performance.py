"""The large-municipality optimisations keep what users see and choose."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.tests.factories import DepartmentFactory
from incidents.forms.filters import RegisterFilterForm
from incidents.forms.intake import DataLeakReportForm
from incidents.models import APNotification, DataLeak, SubjectNotification
from incidents.tests.factories import DataLeakFactory

pytestmark = pytest.mark.django_db


# --- the department combobox --------------------------------------------------------------------


def test_report_form_searches_departments_instead_of_listing_them_and_preselects_their_own(
    client_as, staff_a, department_b
):
    for number in range(30):
        DepartmentFactory(organisation=staff_a.organisation, name=f"Team {number}", code=f"T{number}")
    body = client_as(staff_a).get(reverse("incidents:report")).content.decode()
    assert 'role="combobox"' in body and "Team 29" not in body  # no option per department
    assert f'name="department" value="{staff_a.department_id}"' in body
    assert f'value="{staff_a.department.name}"' in body
    assert "/mensen/afdelingen/zoeken/?actief=1&amp;listbox=id_department_listbox" in body


def test_report_form_errors_keep_the_chosen_department(client_as, staff_a, department_b, report_data):
    response = client_as(staff_a).post(
        reverse("incidents:report"), report_data(department=department_b.pk, description="")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Beschrijf kort wat er is gebeurd." in body
    assert f'name="department" value="{department_b.pk}"' in body and f'value="{department_b.name}"' in body


def test_report_form_refuses_an_abolished_department(staff_a):
    abolished = DepartmentFactory(
        organisation=staff_a.organisation, name="Opgeheven afdeling", code="O", is_active=False
    )
    form = DataLeakReportForm({"department": abolished.pk}, user=staff_a, can_report_on_behalf=False)
    assert not form.is_valid() and "department" in form.errors


def test_report_form_query_count_does_not_grow_with_departments(client_as, staff_a, org, django_assert_max_num_queries):
    client = client_as(staff_a)
    client.get(reverse("incidents:report"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("incidents:report"))
    for number in range(30):
        DepartmentFactory(organisation=org, name=f"Team {number}", code=f"T{number}")
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("incidents:report"))
    assert response.status_code == 200


def test_register_filter_chooses_any_department_of_the_organisation(staff_a, team_a, department_b):
    form = RegisterFilterForm({"department": team_a.pk}, organisation_id=staff_a.organisation_id)
    assert form.is_valid()
    assert form.cleaned_data["department"] == team_a
    team_a.is_active = False
    team_a.save()
    assert RegisterFilterForm({"department": team_a.pk}, organisation_id=staff_a.organisation_id).is_valid()


def test_register_filter_takes_typed_text_naming_one_department_without_javascript(staff_a, team_a):
    typed = {"department": "", "department_text": team_a.name}
    form = RegisterFilterForm(typed, organisation_id=staff_a.organisation_id)
    assert form.is_valid() and form.cleaned_data["department"] == team_a


# --- the register -------------------------------------------------------------------------------


def _initial_notification(leak, when):
    return APNotification.objects.create(
        leak=leak, kind=APNotification.Kind.INITIAL, notified_at=when, ap_reference=f"AP-{leak.pk}"
    )


def test_register_columns_and_notified_filter(client_as, privacy_officer, team_a):
    now = timezone.now()
    notified_twice = DataLeakFactory(department=team_a, created_at=now - datetime.timedelta(days=2))
    _initial_notification(notified_twice, now - datetime.timedelta(days=1))
    _initial_notification(notified_twice, now)
    APNotification.objects.create(
        leak=notified_twice, kind=APNotification.Kind.FOLLOW_UP, notified_at=now, ap_reference="AP-follow"
    )
    informed = DataLeakFactory(department=team_a, created_at=now - datetime.timedelta(days=1))
    SubjectNotification.objects.create(leak=informed, channel="letter", informed_on=now.date(), number_informed=3)
    SubjectNotification.objects.create(leak=informed, channel="email", informed_on=now.date(), number_informed=2)
    follow_up_only = DataLeakFactory(department=team_a, created_at=now)
    APNotification.objects.create(
        leak=follow_up_only, kind=APNotification.Kind.FOLLOW_UP, notified_at=now, ap_reference="AP-only"
    )
    client = client_as(privacy_officer)

    def rows(**params):
        page = client.get(reverse("incidents:register"), params).context["page"]
        return {leak.reference: leak for leak in page}

    everything = rows()
    assert list(everything) == [follow_up_only.reference, informed.reference, notified_twice.reference]
    assert [everything[ref].subjects_informed for ref in everything] == [False, True, False]
    # The register shows the first notification (the one the on-time check is about).
    first = now - datetime.timedelta(days=1)
    assert [n.first_notified_at for n in everything.values()] == [None, None, first]
    assert list(rows(notified="yes")) == [notified_twice.reference]  # once, though notified twice
    assert list(rows(notified="no")) == [follow_up_only.reference, informed.reference]

    body = client.get(reverse("incidents:register")).content.decode()
    assert "AP-follow" not in body and f"AP-{notified_twice.pk}" in body
    text = client.get(reverse("incidents:register"), {"export": "csv"}).getvalue().decode("utf-8-sig")
    line = next(line for line in text.splitlines() if line.startswith(informed.reference))
    assert ";ja;" in line or ",ja," in line


def test_register_shows_page_two_with_the_filters(client_as, privacy_officer, team_a, department_b):
    now = timezone.now()
    for number in range(55):
        DataLeakFactory(department=team_a, category="cc_not_bcc", created_at=now - datetime.timedelta(hours=number))
    DataLeakFactory(department=department_b, category="cc_not_bcc")
    client = client_as(privacy_officer)
    params = {"category": "cc_not_bcc", "department": team_a.pk}
    first = client.get(reverse("incidents:register"), params)
    second = client.get(reverse("incidents:register"), {**params, "page": 2})
    assert len(first.context["page"]) == 50 and len(second.context["page"]) == 5
    assert first.context["page"].paginator.count == 55
    oldest = DataLeak.objects.filter(department=team_a).order_by("created_at").first()
    assert oldest.reference in second.content.decode()
    assert f"category=cc_not_bcc&amp;department={team_a.pk}&amp;page=1" in second.content.decode()


def test_register_rows_load_only_what_the_table_shows(
    client_as, privacy_officer, team_a, django_assert_max_num_queries
):
    """Deferred columns the template would read would cost a query per row."""
    for _ in range(3):
        DataLeakFactory(department=team_a, severity="limited", ap_decision="notify")
    client = client_as(privacy_officer)
    client.get(reverse("incidents:register"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("incidents:register"))
    for _ in range(20):
        DataLeakFactory(department=team_a, severity="limited", ap_decision="notify")
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("incidents:register"))
    assert response.content.decode().count("Beperkt") >= 23


def test_queue_rows_load_only_what_the_table_shows(client_as, privacy_officer, team_a, django_assert_max_num_queries):
    client = client_as(privacy_officer)
    DataLeakFactory(department=team_a, assignee=privacy_officer)
    client.get(reverse("incidents:queue", query={"toon": "alle"}))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("incidents:queue"))
    for _ in range(10):
        DataLeakFactory(department=team_a, assignee=privacy_officer)
    for show in ("open", "alle"):
        with django_assert_max_num_queries(len(few)):
            response = client.get(reverse("incidents:queue"), {"toon": show})
        assert response.content.decode().count(str(privacy_officer)) >= 11


# --- the model ----------------------------------------------------------------------------------


def test_data_kind_labels_follow_the_language(leak_a):
    from incidents.models import DataKind

    leak_a.data_kinds = ["bsn", "legacy"]
    leak_a.personal_data_categories = ["financial"]
    shown = {}
    for language in ("nl", "en"):
        with translation.override(language):
            shown[language] = leak_a.get_data_kinds_display()
            assert shown[language] == [str(DataKind.BSN.label), "legacy"]
            assert leak_a.get_personal_data_categories_display() == [str(DataKind.FINANCIAL.label)]
    assert shown["nl"] != shown["en"]
