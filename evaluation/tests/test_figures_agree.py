"""One fact, one figure: for random budget lines (euros and hours), KPIs (both directions) and measurements, the
programme dashboard, the yearly report (page and PDF), the exports and the API say the same totals per unit and
the same status of every KPI, and the totals are the sums of the lines, per unit, never across."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import lxml.html
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from api import services as api_services
from api.models import Scope
from core.formatting import hours, money
from programme.models import BudgetLine, Goal, Kpi
from programme.tests.factories import GoalFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year
UNIT_TEXT = {"euro": money, "hours": hours}
STATUS_WORDS = {"on_track": "Op koers", "at_risk": "Risico", "off_track": "Uit koers", None: "Geen status"}

amounts = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False, allow_infinity=False)
budget_lines = st.lists(
    st.tuples(st.sampled_from(BudgetLine.Unit.values), st.sampled_from(BudgetLine.Category.values), amounts, amounts),
    max_size=6,
)
values = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)
kpis = st.lists(
    st.fixed_dictionaries(
        {
            "direction": st.sampled_from(["higher", "lower"]),
            "baseline": st.none() | values,
            "target": st.none() | values,
            # The period: months of this year (some ended, some running); the measurements fall inside it.
            "months": st.tuples(st.integers(1, 12), st.integers(0, 11)),
            "measured": st.lists(st.tuples(st.integers(0, 330), values), max_size=3),
        }
    ),
    max_size=3,
)


def _period(months: tuple[int, int]) -> tuple[datetime.date, datetime.date]:
    first = months[0]
    last = min(12, first + months[1])
    end = datetime.date(YEAR, 12, 31) if last == 12 else datetime.date(YEAR, last + 1, 1) - datetime.timedelta(days=1)
    return datetime.date(YEAR, first, 1), end


def _make(org, lines, kpi_specs) -> list[Kpi]:
    BudgetLine.objects.filter(organisation=org).delete()
    Goal.objects.filter(organisation=org).delete()
    cache.clear()
    for index, (unit, category, planned, actual) in enumerate(lines):
        BudgetLine.objects.create(
            organisation=org,
            year=YEAR,
            unit=unit,
            category=category,
            description=f"Post {index}",
            planned=planned,
            actual=actual,
        )
    goal = GoalFactory(organisation=org, year=YEAR, title="Doel")
    made = []
    for index, spec in enumerate(kpi_specs):
        start, end = _period(spec["months"])
        kpi = Kpi.objects.create(
            goal=goal,
            name=f"Kengetal {index}",
            unit="punten",
            direction=spec["direction"],
            baseline=spec["baseline"],
            target=spec["target"],
            period_start=start,
            period_end=end,
        )
        for offset, value in spec["measured"]:
            day = min(start + datetime.timedelta(days=offset), end, TODAY)
            if day >= start:
                kpi.measurements.create(value=value, measured_on=day, source="Meting")
        made.append(kpi)
    return made


def _expected_totals(lines) -> dict[str, tuple[Decimal, Decimal]]:
    """The oracle: the sums of the lines per unit, in Python."""
    totals = {unit: (Decimal(0), Decimal(0)) for unit in BudgetLine.Unit.values}
    for unit, _category, planned, actual in lines:
        totals[unit] = (totals[unit][0] + planned, totals[unit][1] + actual)
    return totals


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _rows(html: str, testid: str) -> list[list[str]]:
    tables = lxml.html.fromstring(html).xpath(f'//table[@data-testid="{testid}"]')
    assert tables, testid
    return [[_text(cell) for cell in row.xpath("./th|./td")] for row in tables[0].xpath(".//tbody/tr|.//tfoot/tr")]


def _states(html: str, testid: str | None = None) -> dict[str, str]:
    """KPI name -> the data-state of its status badge, per row of a table (or every row with data-kpi)."""
    if not html:
        return {}
    doc = lxml.html.fromstring(html)
    rows = doc.xpath(f'//table[@data-testid="{testid}"]//tbody/tr') if testid else doc.xpath("//tr[@data-kpi]")
    states = {}
    for row in rows:
        badge = row.xpath('.//*[@data-testid="kpi-state"]')
        if badge:
            # The name is the first cell's own text, before the second line under it.
            states[(row.xpath("./th|./td")[0].text or "").strip()] = badge[0].get("data-state")
    return states


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_every_output_says_the_same_figures(client_as, officer, org):
    client = client_as(officer)
    _token, secret = api_services.token_create(
        organisation=org,
        created_by=None,
        name="Intranet",
        scopes=[Scope.KPIS_READ],
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    intranet = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="nl")

    @hypothesis_settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(lines=budget_lines, kpi_specs=kpis)
    def check(lines, kpi_specs):
        made = _make(org, lines, kpi_specs)
        expected = _expected_totals(lines)
        present = {unit for unit, *_rest in lines}
        with translation.override("nl"):
            words = {unit: [UNIT_TEXT[unit](v).replace("\xa0", " ") for v in expected[unit]] for unit in present}

        # The programme dashboard: the budget table (one row per unit) and the building block's evidence.
        page = client.get(reverse("evaluation:programme_dashboard")).content.decode().replace("\xa0", " ")
        dashboard_rows = {row[0]: row[1:3] for row in _rows(page, "table-budget") if len(row) > 1}
        assert sorted(dashboard_rows.values()) == sorted(words.values())
        blocks = _text(lxml.html.fromstring(page).xpath('//*[@data-testid="building-blocks"]')[0])
        for planned, actual in words.values():
            assert f"{actual} " in blocks and f"{planned} begroot" in blocks

        # The dashboard's export: the same totals as numbers.
        export = client.get(reverse("evaluation:programme_export", args=["budget", "csv"])).getvalue()
        exported = sorted(
            (Decimal(row[1].replace(",", ".")), Decimal(row[2].replace(",", ".")))
            for row in list(csv.reader(io.StringIO(export.decode("utf-8-sig")), delimiter=";"))[1:]
        )
        assert exported == sorted(expected[unit] for unit in present)

        # The yearly report: the totals row of each unit's table, on the page and in the PDF.
        report = client.get(reverse("evaluation:year_report", args=[YEAR])).content.decode().replace("\xa0", " ")
        pdf = _pdf_text(client.get(reverse("evaluation:year_report_pdf", args=[YEAR])).content).replace("\xa0", " ")
        for unit, testid in (("euro", "report-budget"), ("hours", "report-budget-hours")):
            footer = [row for row in _rows(report, testid) if row[0] == "Totaal"]
            if unit in present:
                assert footer[0][1:3] == words[unit]
                assert " ".join(["Totaal", *words[unit]]) in pdf
            else:
                assert not footer

        # The API: the same totals per unit.
        body = intranet.get("/api/v1/budget/", {"period": str(YEAR)}).json()
        api_totals = {row["unit"]: (Decimal(str(row["planned"])), Decimal(str(row["used"]))) for row in body["totals"]}
        assert api_totals == expected

        # Every KPI's status: the same on its goal's page, the dashboard, the yearly report, the export and the API.
        goal_page = client.get(reverse("programme:goal", args=[made[0].goal_id])).content.decode() if made else ""
        api_rows = {row["name"]: row for row in intranet.get("/api/v1/kpis/").json()["results"]}
        kpi_export = client.get(reverse("evaluation:programme_export", args=["kpis", "csv"])).getvalue()
        exported_status = {
            row[0]: row[-1] for row in list(csv.reader(io.StringIO(kpi_export.decode("utf-8-sig")), delimiter=";"))[1:]
        }
        on_goal_page, on_dashboard = _states(goal_page), _states(page, "kpi-status")
        in_report = _states(report, "report-kpis")
        for kpi in made:
            status = api_rows[kpi.name]["status"]
            state = status or "none"
            assert on_goal_page[kpi.name] == on_dashboard[kpi.name] == in_report[kpi.name] == state
            assert exported_status[kpi.name] == STATUS_WORDS[status]
            assert api_rows[kpi.name]["on_target"] == (None if status is None else status == "on_track")
            # The direction counts: a value at or beyond the target in the KPI's direction is on track.
            current = api_rows[kpi.name]["current_value"]
            if current is not None and kpi.target is not None:
                sign = 1 if kpi.direction == "higher" else -1
                if sign * (Decimal(str(current)) - kpi.target) >= 0:
                    assert status == "on_track"
                elif kpi.period_end <= TODAY:
                    assert status == "off_track"

    check()
