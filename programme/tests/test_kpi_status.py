"""The KPI status rule (programme.kpi_status), the current value within the period and the trend."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from programme import services
from programme.kpi_status import Direction, Status, kpi_status
from programme.kpis import Measure
from programme.models import Kpi
from programme.tests.factories import GoalFactory, KpiFactory

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
MID = datetime.date(2026, 7, 2)  # 182 of 364 days: exactly halfway


def status(direction, start, target, current, today=MID, period=(START, END)):
    return kpi_status(
        direction=direction,
        start=None if start is None else Decimal(start),
        target=None if target is None else Decimal(target),
        current=None if current is None else Decimal(current),
        period_start=period[0],
        period_end=period[1],
        today=today,
    )


# --- Higher is better: from 40 to 80, halfway the expected value is 60, the band 10% of 40 = 4 ---------------


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        ("60", Status.ON_TRACK),  # exactly as expected
        ("70", Status.ON_TRACK),
        ("80", Status.ON_TRACK),  # target reached
        ("56", Status.AT_RISK),  # behind by exactly the band
        ("57.5", Status.AT_RISK),
        ("55.99", Status.OFF_TRACK),
        ("30", Status.OFF_TRACK),
    ],
)
def test_higher_is_better_halfway(current, expected):
    result = status(Direction.HIGHER, "40", "80", current)
    assert result.expected == Decimal("60.00")
    assert result.status == expected


# --- Lower is better: a click rate from 24 to 10, halfway 17, band 1.4 ---------------------------------------


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        ("17", Status.ON_TRACK),
        ("12", Status.ON_TRACK),
        ("9", Status.ON_TRACK),  # beyond the target
        ("18.4", Status.AT_RISK),
        ("18.41", Status.OFF_TRACK),
        ("24", Status.OFF_TRACK),
    ],
)
def test_lower_is_better_halfway(current, expected):
    result = status(Direction.LOWER, "24", "10", current)
    assert result.expected == Decimal("17.00")
    assert result.status == expected


def test_the_same_figures_read_the_other_way_round_swap_the_verdict():
    assert status(Direction.HIGHER, "24", "10", "18.5").status == Status.ON_TRACK  # start beyond target, 18.5 >= 10
    assert status(Direction.LOWER, "24", "10", "18.5").status == Status.OFF_TRACK


def test_at_the_start_the_expected_value_is_the_start():
    result = status(Direction.LOWER, "24", "10", "24", today=START)
    assert result.expected == Decimal("24.00") and result.status == Status.ON_TRACK
    assert result.days_left == 364


def test_on_the_last_day_only_the_target_counts():
    assert status(Direction.LOWER, "24", "10", "10", today=END).status == Status.ON_TRACK
    # Within the band but the period is over: no more time to catch up.
    assert status(Direction.LOWER, "24", "10", "11", today=END).status == Status.OFF_TRACK
    after = status(Direction.LOWER, "24", "10", "11", today=END + datetime.timedelta(days=30))
    assert after.status == Status.OFF_TRACK and after.days_left == 0 and after.expected == Decimal("10.00")


def test_a_day_before_the_end_the_band_still_applies():
    assert status(Direction.LOWER, "24", "10", "11", today=END - datetime.timedelta(days=1)).status == Status.AT_RISK


def test_without_baseline_the_first_value_is_the_start():
    # The first measurement equals the current one: behind, as nothing moved since.
    result = status(Direction.HIGHER, None, "80", "40")
    assert result.start == Decimal("40")
    assert result.status == Status.OFF_TRACK


def test_a_start_already_beyond_the_target_must_stay_there():
    assert status(Direction.HIGHER, "90", "80", "85").status == Status.ON_TRACK
    result = status(Direction.HIGHER, "90", "80", "79")
    assert result.expected == Decimal("80.00") and result.status == Status.AT_RISK  # band: 10% of the way (10) is 1


def test_a_target_of_zero_to_keep():
    assert status(Direction.LOWER, "0", "0", "0").status == Status.ON_TRACK
    assert status(Direction.LOWER, "0", "0", "1").status == Status.OFF_TRACK


def test_a_one_day_period():
    day = datetime.date(2026, 5, 1)
    assert status(Direction.HIGHER, "0", "10", "10", today=day, period=(day, day)).status == Status.ON_TRACK
    assert status(Direction.HIGHER, "0", "10", "9", today=day, period=(day, day)).status == Status.OFF_TRACK


def test_no_status_without_target_or_value():
    assert status(Direction.HIGHER, "40", None, "50").status is None
    assert status(Direction.HIGHER, "40", "80", None).status is None
    assert status(Direction.HIGHER, "40", "80", None).reason


def test_labels_are_dutch_words_not_just_colours(settings):
    from django.utils import translation

    with translation.override("nl"):
        assert status(Direction.HIGHER, "40", "80", "60").label == "Op koers"
        assert status(Direction.HIGHER, "40", "80", "57").label == "Risico"
        assert status(Direction.HIGHER, "40", "80", "30").label == "Uit koers"


# --- The KPI's values: within its period only ------------------------------------------------------------


@pytest.mark.django_db
def test_current_value_is_the_latest_measurement_within_the_period(org, officer):
    kpi = KpiFactory(
        goal=GoalFactory(organisation=org, year=2026),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
    )
    for value, day in [("30", "2025-12-20"), ("20", "2026-02-01"), ("15", "2026-05-01"), ("5", "2026-08-01")]:
        kpi.measurements.create(value=Decimal(value), measured_on=datetime.date.fromisoformat(day), source="x")
    assert kpi.current_value(datetime.date(2026, 9, 1)) == Decimal("15")
    assert kpi.current_value(datetime.date(2026, 3, 1)) == Decimal("20")
    [kpi] = services.kpi_overview([Kpi.objects.get(pk=kpi.pk)], datetime.date(2026, 9, 1))
    assert [value for _day, value in kpi.trend] == [Decimal("20"), Decimal("15")]
    assert kpi.value == Decimal("15")


@pytest.mark.django_db
def test_computed_trend_has_a_point_per_past_quarter_and_today(org, measures):
    calls = []

    def compute(organisation, start, end, department_ids):
        calls.append(end)
        return Decimal(end.month)

    measures.register(Measure(key="test_trend", label="Trend", unit="x", compute=compute))
    kpi = KpiFactory(goal=GoalFactory(organisation=org, year=2026), measure="test_trend", baseline=None, target=12)
    [kpi] = services.kpi_overview([kpi], datetime.date(2026, 8, 15))
    assert [day for day, _value in kpi.trend] == [
        datetime.date(2026, 3, 31),
        datetime.date(2026, 6, 30),
        datetime.date(2026, 8, 15),
    ]
    assert kpi.value == Decimal("8")
    assert kpi.state.start == Decimal("3")  # no baseline: the first point


@pytest.mark.django_db
def test_officer_sets_the_direction_when_editing(client_as, officer, org):
    kpi = KpiFactory(goal=GoalFactory(organisation=org, year=2026), name="Klikratio")
    assert kpi.direction == Direction.HIGHER
    response = client_as(officer).post(
        reverse("programme:kpi_update", args=[kpi.pk]),
        {
            "name": "Klikratio",
            "measure": "",
            "unit": "procent",
            "baseline": "24",
            "target": "10",
            "direction": "lower",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assert response.status_code == 302
    kpi.refresh_from_db()
    assert kpi.direction == Direction.LOWER
    page = client_as(officer).get(reverse("programme:goal", args=[kpi.goal_id])).content.decode()
    assert "Lager is beter" in page and 'data-testid="kpi-state"' in page
