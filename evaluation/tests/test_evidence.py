"""The evidence report: figures that match known records, a fixed number of queries, access, exports, own norms."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from evaluation.evidence.models import Control, ControlExplanation, ControlFramework
from evaluation.evidence.selectors import evidence_for_year

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def builtin_controls(db):
    """The BIO2 controls of the data migration, also after a browser test's flush removed them (idempotent)."""
    import importlib

    from django.apps import apps

    importlib.import_module("evaluation.migrations.0004_bio2_controls").load(apps, None)


def _past(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def known(org, department_a, team_a, department_b, ambassador_a, staff_a, staff_b, other_department):
    """Known records: 2 sessions held (mandatory, 3 places, 2 attended), 3 leaks (1 notified on time), and more."""
    from ambassadors.tests.factories import ActivityFactory
    from incidents.models import APNotification
    from incidents.tests.factories import DataLeakFactory
    from programme.models import MailingRecipient, QuarterlyMailing, TopicSuggestion
    from programme.tests.factories import SuggestionFactory, TopicFactory
    from training.tests.factories import EnrolmentFactory, ModuleFactory, SessionFactory

    module = ModuleFactory(organisation=org, title="Basis informatiebeveiliging", is_mandatory=True)
    held = [SessionFactory(module=module, starts_at=_past(20)), SessionFactory(module=module, starts_at=_past(10))]
    EnrolmentFactory(session=held[0], user=ambassador_a, attended=True)
    EnrolmentFactory(session=held[0], user=staff_a, attended=True)
    EnrolmentFactory(session=held[1], user=staff_b, attended=False)
    SessionFactory(module=module)  # still to come: not held
    TopicFactory(plan__organisation=org, plan__year=YEAR, plan__status="published", status="published")
    TopicFactory(plan__organisation=org, plan__year=YEAR + 1, status="published")
    mailing = QuarterlyMailing.objects.create(
        organisation=org, year=YEAR, quarter=1, subject="K1", body="Tekst", sent_at=_past(30)
    )
    MailingRecipient.objects.create(mailing=mailing, user=staff_a, status="sent")
    MailingRecipient.objects.create(mailing=mailing, user=staff_b, status="failed")
    ActivityFactory(organisation=org, user=ambassador_a, department=team_a, colleagues_reached=12)
    on_time = DataLeakFactory(
        department=department_a,
        aware_at=_past(5),
        ap_decision="notify",
        ap_decision_reason="Risico",
        subjects_decision="no_inform",
        severity="high",
        consequences="Gegevens ingezien",
        measures_taken="Mail teruggehaald",
        lesson="Controleer de ontvanger",
        closed_at=timezone.now(),
        topic_suggestion=SuggestionFactory(organisation=org, status=TopicSuggestion.Status.ACCEPTED),
    )
    APNotification.objects.create(
        leak=on_time, notified_at=on_time.aware_at + datetime.timedelta(hours=30), ap_reference="AP-1"
    )
    late = DataLeakFactory(department=department_b, aware_at=_past(4), ap_decision="notify")
    APNotification.objects.create(
        leak=late, notified_at=late.aware_at + datetime.timedelta(hours=80), ap_reference="AP-2"
    )
    DataLeakFactory(department=team_a, no_leak_at=timezone.now(), no_leak_reason="Geen persoonsgegevens")
    # Another organisation's records never count.
    DataLeakFactory(department=other_department)
    ActivityFactory(organisation=other_department.organisation, colleagues_reached=99)
    return {"module": module}


def _facts(evidence) -> dict:
    return {fact.label: fact.value for fact in evidence.facts}


@pytest.mark.django_db
def test_the_figures_match_the_records(known, org):
    with translation.override("en"):
        figures = evidence_for_year(org.pk, YEAR)
    training = _facts(figures["training_sessions"])
    assert training["Sessions held"] == 2
    assert training["Places in sessions of mandatory modules"] == 3
    assert training["Of those attended"] == 2
    assert str(training["Attendance of mandatory modules"]) == "66.7"
    assert _facts(figures["topics_published"])["Topics published"] == 1
    mailings = _facts(figures["mailings"])
    assert (mailings["Mailings sent"], mailings["Mails delivered"], mailings["Mails failed"]) == (1, 1, 1)
    assert mailings["Employees reached at least once"] == 1
    coverage = _facts(figures["ambassador_coverage"])
    assert coverage["Departments with an ambassador"] == 1  # A is covered, B is not
    assert figures["ambassador_coverage"].rows == [["Burgerzaken", 1], ["Werk en Inkomen", 0]]
    assert _facts(figures["activities"])["Colleagues reached"] == 12
    reported = _facts(figures["dataleaks_reported"])
    assert reported["Reports"] == 3
    assert reported["Assessed as no data leak"] == 1
    notified = _facts(figures["dataleaks_notified"])
    assert (notified["Notified to the AP"], notified["Notified within 72 hours"]) == (2, 1)
    assert str(notified["On time"]) == "50.0"
    lessons = _facts(figures["lessons"])
    assert (lessons["With a lesson learned"], lessons["Lessons taken into an annual plan"]) == (1, 1)
    register = _facts(figures["register_completeness"])
    assert register["Complete (facts, effects, measures and decisions recorded)"] == 2  # on time, and no leak


@pytest.mark.django_db
def test_the_report_runs_a_fixed_number_of_queries(
    client_as, known, org, officer, department_b, django_assert_max_num_queries
):
    from ambassadors.tests.factories import ActivityFactory
    from incidents.tests.factories import DataLeakFactory
    from training.tests.factories import EnrolmentFactory, SessionFactory

    client = client_as(officer)
    url = reverse("evaluation:evidence_report", args=[YEAR])
    with django_assert_max_num_queries(45) as small:
        assert client.get(url).status_code == 200
    for _i in range(15):
        DataLeakFactory(department=department_b)
        ActivityFactory(organisation=org, user=officer)
        EnrolmentFactory(session=SessionFactory(module=known["module"], starts_at=_past(3)), attended=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_report_is_for_officers_only(client, client_as, officer, manager_a, ambassador_a, staff_b):
    url = reverse("evaluation:evidence_report", args=[YEAR])
    assert client.get(url).status_code == 302
    for user in (manager_a, ambassador_a, staff_b):
        assert client_as(user).get(url).status_code == 403
    response = client_as(officer).get(url)
    assert response.status_code == 200
    assert "6.3 Bewustwording, opleiding en training" in response.content.decode()


@pytest.mark.django_db
def test_an_officer_writes_and_corrects_an_explanation(client_as, officer, org):
    control = Control.objects.get(framework__organisation=None, code="6.3")
    url = reverse("evaluation:evidence_explanation", args=[YEAR, control.pk])
    client = client_as(officer)
    client.post(url, {"text": "Alle ambassadeurs volgden de basistraining."})
    client.post(url, {"text": "Alle ambassadeurs volgden de basistraining."})
    assert ControlExplanation.objects.get(organisation=org, control=control, year=YEAR).text.startswith("Alle")
    client.post(url, {"text": "Gecorrigeerd."})
    assert ControlExplanation.objects.get(organisation=org, year=YEAR).text == "Gecorrigeerd."
    assert ControlExplanation.objects.filter(year=YEAR - 1).count() == 0
    response = client.get(reverse("evaluation:evidence_report", args=[YEAR]))
    assert "Gecorrigeerd." in response.content.decode()


@pytest.mark.django_db
def test_nothing_crosses_organisations(client_as, outsider, officer, org, other_org):
    control = Control.objects.get(framework__organisation=None, code="6.3")
    ControlExplanation.objects.create(organisation=org, control=control, year=YEAR, text="GEHEIM-VOORBEELD")
    own = ControlFramework.objects.create(organisation=org, name="ENSIA GEHEIM", source="ENSIA", version="2026")
    response = client_as(outsider).get(reverse("evaluation:evidence_report", args=[YEAR]))
    assert b"GEHEIM" not in response.content
    assert (
        client_as(outsider).get(reverse("evaluation:evidence_report", args=[YEAR]) + f"?kader={own.pk}").status_code
        == 404
    )
    assert client_as(outsider).get(reverse("evaluation:evidence_framework", args=[own.pk])).status_code == 404
    assert client_as(officer).get(reverse("evaluation:evidence_framework", args=[own.pk])).status_code == 200


@pytest.mark.django_db
def test_the_downloads(client_as, known, officer, org):
    from openpyxl import load_workbook

    control = Control.objects.get(framework__organisation=None, code="6.3")
    ControlExplanation.objects.create(organisation=org, control=control, year=YEAR, text="=SOM(A1)")
    client = client_as(officer)
    pdf = client.get(reverse("evaluation:evidence_pdf", args=[YEAR]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("evaluation:evidence_xlsx", args=[YEAR]))
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert sheet.title == f"Bewijs {YEAR}"
    assert sheet.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    held = next(r for r in rows if r[0] == "6.3" and r[3] == "Gehouden sessies")
    assert held[4] == 2
    attendance = next(r for r in sheet.iter_rows(min_row=2) if r[3].value == "Opkomst bij verplichte modules")
    assert attendance[4].number_format == "0.0%" and abs(attendance[4].value - 0.667) < 0.001
    assert any(r[5] == "'=SOM(A1)" for r in rows)


@pytest.mark.django_db
def test_an_organisation_adds_its_own_norm_and_maps_evidence(client_as, officer, org, known):
    client = client_as(officer)
    response = client.post(
        reverse("evaluation:evidence_frameworks"),
        {"name": "ENSIA 2026", "source": "ENSIA vragenlijst BIO", "version": "2026"},
    )
    framework = ControlFramework.objects.get(organisation=org)
    client.post(
        reverse("evaluation:evidence_frameworks"),
        {"name": "ENSIA 2026", "source": "ENSIA vragenlijst BIO", "version": "2026"},
    )
    assert ControlFramework.objects.filter(organisation=org).count() == 1
    assert response.status_code == 302
    url = reverse("evaluation:evidence_framework", args=[framework.pk])
    client.post(url, {"code": "B.6.3", "title": "Bewustwording", "evidence_kinds": ["training_sessions"], "order": 1})
    bad = client.post(url, {"code": "B.6.3", "title": "Dubbel", "order": 2})
    assert "al een maatregel met deze code" in bad.content.decode()
    report = client.get(reverse("evaluation:evidence_report", args=[YEAR]) + f"?kader={framework.pk}")
    assert "B.6.3 Bewustwording" in report.content.decode()
    assert "Gehouden sessies" in report.content.decode()
    builtin = ControlFramework.objects.get(organisation=None)
    assert client.get(reverse("evaluation:evidence_framework_edit", args=[builtin.pk])).status_code == 404
    control = builtin.controls.first()
    assert client.post(reverse("evaluation:evidence_control_delete", args=[control.pk])).status_code == 404


@pytest.mark.django_db
def test_links_to_the_records_follow_the_rules_of_those_pages(client_as, officer, org, department_b):
    from accounts.tests.factories import OfficerFactory, UserFactory

    iso = UserFactory(organisation=org, department=department_b, email="iso@voorbeeld.test")
    OfficerFactory(user=iso, kind="iso")
    register = reverse("incidents:register")
    assert (
        f'href="{register}?start={YEAR}-01-01'
        in client_as(officer).get(reverse("evaluation:evidence_report", args=[YEAR])).content.decode()
    )
    iso_page = client_as(iso).get(reverse("evaluation:evidence_report", args=[YEAR])).content.decode()
    assert f'href="{register}' not in iso_page  # the register is the CISO's and the Privacy Officer's
    assert reverse("training:session_list") in iso_page


@pytest.mark.django_db
def test_an_own_control_and_framework_can_be_corrected(client_as, officer, org):
    framework = ControlFramework.objects.create(organisation=org, name="ENSIA", source="ENSIA", version="2025")
    control = Control.objects.create(framework=framework, code="1", title="Oud", evidence_kinds=["activities"])
    client = client_as(officer)
    client.post(
        reverse("evaluation:evidence_control_edit", args=[control.pk]),
        {"code": "1a", "title": "Nieuw", "evidence_kinds": ["surveys", "mailings"], "order": 5},
    )
    control.refresh_from_db()
    assert (control.code, control.title, control.evidence_kinds) == ("1a", "Nieuw", ["surveys", "mailings"])
    client.post(
        reverse("evaluation:evidence_framework_edit", args=[framework.pk]),
        {"name": "ENSIA", "source": "ENSIA vragenlijst", "version": "2026"},
    )
    framework.refresh_from_db()
    assert framework.version == "2026"
    client.post(reverse("evaluation:evidence_control_delete", args=[control.pk]))
    assert not Control.objects.filter(pk=control.pk).exists()
