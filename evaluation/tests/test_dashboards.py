"""Selectors of the dashboards: the right figures on known data, nothing of other departments or organisations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Department
from evaluation.dashboards.common import last_quarters, quarter_label
from evaluation.dashboards.department import department_dashboard
from evaluation.dashboards.programme import heat_level, programme_dashboard
from evaluation.report.selectors import year_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _figure(dashboard, label):
    return next(f for f in dashboard.figures if f.label == label)


def test_last_quarters_cross_the_year():
    import datetime

    assert last_quarters(datetime.date(2026, 2, 10)) == [(2025, 2), (2025, 3), (2025, 4), (2026, 1)]


def test_heat_level_scales_to_the_highest():
    assert [heat_level(n, 8) for n in (0, 1, 2, 4, 6, 8)] == [0, 1, 1, 2, 3, 4]


def test_department_figures_include_its_teams_and_compare_with_the_average(data, department_a, ambassador_a):
    dashboard = department_dashboard(department_a)
    # Two units (A and B); team A rolls up into A.
    assert _figure(dashboard, "Activities this year").value == 3
    assert _figure(dashboard, "Activities this year").average == Decimal("2.0")
    assert _figure(dashboard, "Hours logged this year").value == Decimal("4.5")
    assert _figure(dashboard, "Data-leak reports this year").value == 2
    assert _figure(dashboard, "Data-leak reports this year").average == Decimal("1.5")
    assert _figure(dashboard, "Feedback received this year").value == 2
    ratio = _figure(dashboard, "Hours logged against agreed")
    assert ratio.target == Decimal("80")
    assert [a.user for a in dashboard.appointments] == [ambassador_a]
    topics = dashboard.table("topics")
    assert topics.rows == [["Phishing", 3, Decimal("4.5")]]
    quarter = quarter_label(last_quarters(timezone.localdate())[-1])
    assert dashboard.table("activities").rows[-1] == [quarter, 3, Decimal("2.0")]
    assert dashboard.table("dataleaks").rows[-1][1] == 2
    handled = {row[0]: row[1] for row in dashboard.table("feedback_status").rows}
    assert handled["Procedure changed"] == 1 and handled["New"] == 1


def test_the_organisation_average_is_cached_while_the_department_counts_live(
    data, org, department_a, department_b, ambassador_a, settings
):
    from django.core.cache import cache

    from ambassadors.tests.factories import ActivityFactory

    settings.DASHBOARD_AVERAGES_SECONDS = 600
    today = timezone.localdate()
    department_dashboard(department_a)
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, date=today)
    ActivityFactory(organisation=org, user=ambassador_a, department=department_b, date=today)
    dashboard = department_dashboard(department_a)
    assert _figure(dashboard, "Activities this year").value == 4
    assert _figure(dashboard, "Activities this year").average == Decimal("2.0")  # 4 of 2 units, from the cache
    cache.clear()
    assert _figure(department_dashboard(department_a), "Activities this year").average == Decimal("3.0")

    settings.DASHBOARD_AVERAGES_SECONDS = 0  # no caching at all
    cache.clear()
    department_dashboard(department_a)
    ActivityFactory(organisation=org, user=ambassador_a, department=department_b, date=today)
    assert _figure(department_dashboard(department_a), "Activities this year").average == Decimal("3.5")


def test_the_last_quarters_reach_into_last_year_but_the_year_figures_do_not(org, department_a, ambassador_a):
    import datetime

    from ambassadors.tests.factories import ActivityFactory, FeedbackFactory

    today = datetime.date(2026, 2, 10)
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, date=datetime.date(2025, 11, 3))
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, date=datetime.date(2026, 1, 5))
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, date=datetime.date(2024, 12, 1))
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, date=datetime.date(2026, 2, 11))
    feedback = FeedbackFactory(department=department_a)
    feedback.created_at = timezone.make_aware(datetime.datetime(2025, 12, 31, 23, 30))  # Amsterdam time
    feedback.save(update_fields=["created_at"])
    dashboard = department_dashboard(department_a, today=today)
    assert _figure(dashboard, "Activities this year").value == 1
    assert [row[1] for row in dashboard.table("activities").rows] == [0, 0, 1, 1]
    assert _figure(dashboard, "Feedback received this year").value == 0
    assert [row[1] for row in dashboard.table("feedback").rows] == [0, 0, 1, 0]


def test_a_department_never_shows_another_departments_people_or_leak_contents(data, department_b, ambassador_a):
    dashboard = department_dashboard(department_b)
    assert _figure(dashboard, "Activities this year").value == 1
    assert [a.user.full_name for a in dashboard.appointments] == ["Bram Ambassadeur"]
    text = repr([t.rows for t in dashboard.tables])
    assert "Sanne Ambassadeur" not in text
    assert "GEHEIM" not in text
    categories = dashboard.table("dataleak_categories").rows
    assert [row[1:] for row in categories] == [["Lost or stolen laptop, phone or USB stick", 1]]


def test_the_training_progress_lists_only_the_departments_ambassadors(data, department_a, ambassador_a):
    from training.tests.factories import EnrolmentFactory, ModuleFactory, SessionFactory

    module = ModuleFactory(organisation=department_a.organisation, is_mandatory=True)
    session = SessionFactory(module=module)
    EnrolmentFactory(session=session, user=ambassador_a, attended=True)
    dashboard = department_dashboard(department_a)
    assert dashboard.table("training").rows == [["Sanne Ambassadeur", 100, 1, 1, 0]]
    assert _figure(dashboard, "Mandatory training completed (mean per ambassador)").value == Decimal("100.0")
    # Bram (department B) completed nothing: the organisation's mean is 50.
    assert _figure(dashboard, "Mandatory training completed (mean per ambassador)").average == Decimal("50.0")


def test_the_heat_map_rows_escape_names_and_show_dutch_numbers():
    from evaluation.dashboards.programme import HeatRow

    unit = Department(pk=1, name="R&D <team>")
    row = HeatRow(unit, [(0, 0), (1234, 4)], 1234)
    with translation.override("nl"):
        html = render_to_string("evaluation/dashboards/programme.html#heat-row", {"row": row})
    assert html == (
        '<tr><th scope="row">R&amp;D &lt;team&gt;</th><td class="heat-0">0</td><td class="heat-4">1.234</td>'
        "<td>1.234</td></tr>"
    )


def test_programme_dashboard_heat_map_coverage_and_blocks(data, org, department_a, department_b):
    dashboard = programme_dashboard(org.pk)
    heat = {row.department.name: row for row in dashboard.heat_rows}
    assert set(heat) == {"Burgerzaken", "Werk en Inkomen"}
    assert heat["Burgerzaken"].cells[-1] == (3, 4)
    assert heat["Werk en Inkomen"].cells[-1] == (1, 2)
    assert (dashboard.units_total, dashboard.units_covered) == (2, 2)
    assert dashboard.coverage == Decimal("100.0")
    assert len(dashboard.blocks) == 10
    strategy = dashboard.blocks[0]
    assert strategy.done and "1 goal and 1 KPI" in strategy.evidence
    assert [k.name for k in dashboard.kpis] == ["Uren besteed"]


def test_year_report_gathers_the_year(data, org):
    from programme.tests.factories import BudgetLineFactory

    BudgetLineFactory(organisation=org, category="training", planned=1000, actual=400)
    year = timezone.localdate().year
    report = year_report(org.pk, year)
    assert report.activity_totals["count"] == 4
    assert [(a["kind"], a["count"]) for a in report.activities] == [("talk", 4)]
    assert [f.procedure for f in report.feedback_changes] == ["Verzenden van besluiten"]
    assert sum(row["count"] for row in report.leaks) == 3
    euros = report.budget.totals["euro"]
    assert (euros["planned"], euros["actual"]) == (Decimal("1000"), Decimal("400"))
    assert report.surveys == []


def test_the_building_blocks_are_cached_with_their_moment(data, org, settings):
    from django.core.cache import cache

    from programme.models import Goal

    settings.DASHBOARD_AVERAGES_SECONDS = 600
    first = programme_dashboard(org.pk)
    assert first.blocks_counted_at is not None
    goals_before = first.blocks[0].evidence
    Goal.objects.create(organisation=org, year=timezone.localdate().year, title="Nog een doel")
    again = programme_dashboard(org.pk)
    assert again.blocks[0].evidence == goals_before and again.blocks_counted_at == first.blocks_counted_at
    cache.clear()
    assert programme_dashboard(org.pk).blocks[0].evidence != goals_before
