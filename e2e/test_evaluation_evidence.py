"""Browser tests of the evidence report and the maturity self-assessment, driven as a CISO in Chromium."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def builtin_controls(transactional_db):
    """The BIO2 controls of the data migration again: a browser test's flush removes migrated rows."""
    import importlib

    from django.apps import apps

    importlib.import_module("evaluation.migrations.0004_bio2_controls").load(apps, None)


@pytest.fixture
def records(org, department_a, department_b, ambassador_a, staff_a, other_department):
    """Two training sessions held (3 places, 2 attended) and two data leaks, one notified to the AP on time."""
    from incidents.models import APNotification
    from incidents.tests.factories import DataLeakFactory
    from training.tests.factories import EnrolmentFactory, ModuleFactory, SessionFactory

    module = ModuleFactory(organisation=org, title="Basis informatiebeveiliging", is_mandatory=True)
    now = timezone.now()
    first = SessionFactory(module=module, starts_at=now - datetime.timedelta(days=9))
    second = SessionFactory(module=module, starts_at=now - datetime.timedelta(days=2))
    EnrolmentFactory(session=first, user=ambassador_a, attended=True)
    EnrolmentFactory(session=first, user=staff_a, attended=True)
    EnrolmentFactory(session=second, attended=False)
    leak = DataLeakFactory(department=department_a, ap_decision="notify", aware_at=now - datetime.timedelta(days=3))
    APNotification.objects.create(
        leak=leak, notified_at=leak.aware_at + datetime.timedelta(hours=20), ap_reference="AP-1"
    )
    DataLeakFactory(department=department_b)
    DataLeakFactory(department=other_department, description="GEHEIM-NABURIG")


def test_a_ciso_reads_the_evidence_explains_a_control_and_downloads_it(signed_in, site, records, officer):
    from openpyxl import load_workbook

    page = signed_in(officer)
    page.goto(site + reverse("evaluation:evidence_report", args=[YEAR]))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bewijs voor de BIO en ENSIA, {YEAR}")
    awareness = page.get_by_test_id("control-6.3")
    sessions = awareness.get_by_test_id("evidence-6.3-training_sessions")
    expect(sessions.locator("[data-fact='Gehouden sessies']")).to_have_text("2")
    expect(sessions.locator("[data-fact='Plaatsen in sessies van verplichte modules']")).to_have_text("3")
    expect(sessions.locator("[data-fact='Opkomst bij verplichte modules']")).to_have_text("66,7%")
    response = page.get_by_test_id("control-5.26").get_by_test_id("evidence-5.26-dataleaks_notified")
    expect(response.locator("[data-fact='Gemeld aan de AP']")).to_have_text("1")
    expect(response.locator("[data-fact='Binnen 72 uur gemeld']")).to_have_text("1")
    expect(page.get_by_test_id("control-6.8").locator("[data-fact='Meldingen']")).to_have_text("2")
    expect(page.locator("body")).not_to_contain_text("GEHEIM")
    assert_accessible(page, context="evidence report")

    awareness.get_by_text("Toelichting schrijven").click()
    awareness.get_by_label("Toelichting bij 6.3").fill("Alle ambassadeurs volgden de basistraining.")
    awareness.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("explanation-6.3")).to_have_text("Alle ambassadeurs volgden de basistraining.")

    with page.expect_download() as pdf:
        page.get_by_test_id("evidence-pdf").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with open(pdf.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    with page.expect_download() as xlsx:
        page.get_by_test_id("evidence-xlsx").click()
    with open(xlsx.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert sheet.title == f"Bewijs {YEAR}" and sheet.freeze_panes == "A2"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert ["6.3", "Gehouden sessies", 2] in [[r[0], r[3], r[4]] for r in rows]
    assert any(r[0] == "6.3" and r[5] == "Alle ambassadeurs volgden de basistraining." for r in rows)


def test_the_evidence_report_on_a_phone(signed_in, site, records, officer):
    page = signed_in(officer, viewport=PHONE)
    page.goto(site + reverse("evaluation:evidence_report", args=[YEAR]))
    expect(page.get_by_test_id("control-6.3")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, context="evidence report on a phone")


def test_a_ciso_fills_a_maturity_assessment_beside_last_years(
    signed_in, site, officer, org, department_a, ambassador_a
):
    from evaluation.evidence.models import MaturityAnswer, MaturityAssessment

    last = MaturityAssessment.objects.create(organisation=org, year=YEAR - 1, round=2)
    for block in range(1, 11):
        MaturityAnswer.objects.create(assessment=last, block=block, level=2, note="Vorig jaar")
    page = signed_in(officer)
    page.goto(site + reverse("evaluation:maturity"))
    expect(page.locator("canvas[data-chart][data-rendered='true']")).to_have_count(1)
    assert_accessible(page, context="maturity overview")
    page.get_by_test_id("maturity-new").click()
    expect(page.get_by_test_id("previous-3")).to_contain_text(f"Niveau 2 ({YEAR - 1} (tweede helft))")
    expect(page.get_by_test_id("evidence-3")).to_contain_text("afdelingen")
    assert_accessible(page, context="maturity form")
    for block in range(1, 11):
        page.get_by_test_id(f"block-{block}").get_by_label("3 Gedefinieerd", exact=False).check()
    page.get_by_test_id("block-3").get_by_label("1 Initieel", exact=False).check()
    page.get_by_role("button", name="Meting opslaan").click()
    expect(page.get_by_test_id("table-maturity")).to_contain_text(str(YEAR))
    expect(page.get_by_test_id("table-maturity").locator("tbody tr").nth(2)).to_contain_text("2")
    page.set_viewport_size(PHONE)
    page.goto(site + reverse("evaluation:maturity_form", args=[YEAR, 1 if timezone.localdate().month <= 6 else 2]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Voorstellen als onderwerp voor volgend jaar").click()
    expect(page.get_by_test_id("block-3")).to_contain_text("Voorgesteld als onderwerp")
