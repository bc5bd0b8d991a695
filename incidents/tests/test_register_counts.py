"""The register's counts of the year: the departments with the most reports on the page, every one in the PDF."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import DepartmentFactory
from incidents.tests.factories import DataLeakFactory

pytestmark = pytest.mark.django_db


def test_the_page_names_the_ten_departments_with_most_reports_and_says_the_pdf_has_all(client_as, org, privacy_officer):
    departments = [DepartmentFactory(organisation=org, name=f"Afdeling {i:02d}") for i in range(12)]
    for index, department in enumerate(departments):
        for _ in range(index + 1):
            DataLeakFactory(department=department)
    response = client_as(privacy_officer).get(reverse("incidents:register"))
    shown = [row["department__name"] for row in response.context["top_departments"]]
    assert shown == [f"Afdeling {i:02d}" for i in range(11, 1, -1)]  # most reports first
    page = response.content.decode()
    assert "De 10 afdelingen met de meeste meldingen" in page
    assert 'data-testid="departments-in-report"' in page and "12 afdelingen" in page
    assert "Afdeling 00" not in page.split('data-testid="register"')[1]
    assert len(response.context["counts"]["per_department"]) == 12  # the PDF's counts: every department
