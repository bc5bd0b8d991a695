"""The yearly report and the evidence report as PDFs through core.pdf: the pages' own templates, every name intact,
tagged, Dutch, fonts embedded, a title; a KPI table never breaks a word."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from core.tests.pdf_checks import NAMES, assert_accessible
from evaluation.report.models import EvaluationReport

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def builtin_controls(db):
    """The BIO2 controls of the data migration, also after a browser test's flush removed them (idempotent)."""
    import importlib

    from django.apps import apps

    importlib.import_module("evaluation.migrations.0004_bio2_controls").load(apps, None)


@pytest.fixture
def named(org, department_a):
    org.legal_name = "Gemeente Ĳsselstein"
    org.save()
    department_a.name = "Burgerzaken Ĳsselmeer Ørsted"
    department_a.save()
    return org


def test_the_yearly_report_pdf_is_the_page_with_every_name(client_as, data, named, officer):
    EvaluationReport.objects.create(organisation=named, year=YEAR, conclusions=f"Dank aan {NAMES}.\n\n<b>&</b>")
    response = client_as(officer).get(reverse("evaluation:year_report_pdf", args=[YEAR]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    facts = assert_accessible(response.content, title=f"Evaluatie van het ambassadeursprogramma {YEAR}")
    assert facts.author == "Gemeente Voorbeeld"
    assert "<b>&</b>" in facts.text  # the officer's text as text
    assert "Conclusies" in facts.text and "Streefwaarde" in facts.text
    # No word is broken over two lines: every word of the KPI table's header is whole.
    words = set(facts.text.split())
    assert "Streefwaarde" in words and not any(
        word.startswith("Streefwaar") and word != "Streefwaarde" for word in words
    )


def test_the_evidence_pdf_is_the_page_with_every_name(client_as, data, named, officer):
    from evaluation.evidence.models import Control, ControlExplanation

    control = Control.objects.filter(framework__organisation=None).order_by("code").first()
    ControlExplanation.objects.create(organisation=named, control=control, year=YEAR, text=f"Gedaan door {NAMES}.")
    response = client_as(officer).get(reverse("evaluation:evidence_pdf", args=[YEAR]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    facts = assert_accessible(response.content, title=f"Bewijs voor {control.framework.name}, {YEAR}")
    assert facts.pages > 1
    assert "Toelichting van de functionaris" in facts.text
    assert facts.subject.startswith("Bron: ")

    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(response.content)) as pdf, pdf.open_outline() as outline:
        titles = [child.title for item in outline.root for child in [item, *item.children]]
    # Every control is a bookmark: the report can be navigated.
    assert any(title.startswith(control.code) for title in titles), titles
