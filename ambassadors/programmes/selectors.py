"""Reads of the department year programme: a programme's items with their progress, quarters, hours, the overview."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from accounts.models import Department, User
from ambassadors.models import Appointment
from ambassadors.programmes.kpis import planned_items_done
from ambassadors.programmes.models import DepartmentProgramme, GoodPractice, PlannedItem
from ambassadors.selectors import hours_agreed
from programme.models import Topic


def programme_items(programme: DepartmentProgramme) -> list[PlannedItem]:
    """The items with their progress, in one query."""
    return list(
        PlannedItem.objects.filter(programme=programme)
        .with_progress()
        .select_related("topic", "ambassador", "team", "source_practice", "programme")
    )


@dataclass
class QuarterRow:
    quarter: int
    planned: int = 0
    done: int = 0
    planned_hours: Decimal = Decimal("0")
    done_hours: Decimal = Decimal("0")


def quarters(items: list[PlannedItem]) -> list[QuarterRow]:
    """Planned against done per quarter (dropped items do not count as planned)."""
    rows = {q: QuarterRow(q) for q in range(1, 5)}
    for item in items:
        if item.state == PlannedItem.State.DROPPED:
            continue
        row = rows[item.period_quarter]
        row.planned += 1
        row.planned_hours += item.hours
        row.done_hours += item.done_hours
        row.done += item.state == PlannedItem.State.DONE
    return list(rows.values())


@dataclass
class HoursRow:
    ambassador: User | None
    asked: Decimal
    agreed: Decimal


def hours_against_appointments(programme: DepartmentProgramme, items: list[PlannedItem]) -> list[HoursRow]:
    """What the programme asks of each ambassador's time against the hours agreed in their appointments that year."""
    start, end = datetime.date(programme.year, 1, 1), datetime.date(programme.year, 12, 31)
    appointments = list(
        Appointment.objects.filter(organisation_id=programme.organisation_id, departments=programme.department_id)
        .overlapping(start, end)
        .select_related("user")
    )
    asked: dict[int | None, Decimal] = {}
    for item in items:
        if item.state != PlannedItem.State.DROPPED:
            asked[item.ambassador_id] = asked.get(item.ambassador_id, Decimal("0")) + item.hours
    rows = []
    users = {a.user_id: a.user for a in appointments}
    for user_id, user in users.items():
        agreed = hours_agreed([a for a in appointments if a.user_id == user_id], start, end)
        rows.append(HoursRow(user, asked.pop(user_id, Decimal("0")), agreed))
    for user_id, hours in asked.items():
        user = next((i.ambassador for i in items if i.ambassador_id == user_id), None)
        rows.append(HoursRow(user, hours, Decimal("0")))
    return rows


def this_month_items(user: User, today: datetime.date) -> list[PlannedItem]:
    """The ambassador's items of this month (or of this quarter when planned per quarter)."""
    quarter = (today.month - 1) // 3 + 1
    return list(
        PlannedItem.objects.visible_to(user)
        .filter(ambassador=user, programme__year=today.year)
        .filter(Q(month=today.month) | Q(quarter=quarter))
        .exclude(decision=PlannedItem.Decision.DROPPED)
        .with_progress()
        .select_related("topic", "programme__department")
    )


def matchable_items(user: User, department_ids, year: int):
    """Items an activity of ``user`` may count towards: the year's items of the departments they cover."""
    return (
        PlannedItem.objects.visible_to(user)
        .filter(programme__department_id__in=list(department_ids), programme__year=year)
        .exclude(decision=PlannedItem.Decision.DROPPED)
        .select_related("programme__department", "topic")
    )


def suggested_item(items: list[PlannedItem], *, user: User, day: datetime.date, topic_id: int | None):
    """The best match by topic and date: own items first, then same topic, then the period covering the day."""

    def score(item: PlannedItem) -> tuple:
        covers = item.starts_on <= day <= item.ends_on
        return (item.ambassador_id == user.pk, topic_id is not None and item.topic_id == topic_id, covers)

    candidates = [i for i in items if i.starts_on <= day <= i.ends_on or (topic_id and i.topic_id == topic_id)]
    return max(candidates, key=score) if candidates else None


@dataclass
class OverviewRow:
    department: Department
    programme: DepartmentProgramme | None
    topic_ids: set[int] = field(default_factory=set)
    planned: int = 0
    done: int = 0


@dataclass
class Overview:
    rows: list[OverviewRow]
    topics: list[Topic]
    unpicked: list[Topic]
    without_agreed: list[Department]


def overview(user: User, year: int) -> Overview:
    """Every department of the organisation: its programme's status and topics; topics no department picked up."""
    departments = list(
        Department.objects.visible_to(user).filter(is_active=True, level=Department.Level.UNIT).order_by("path")
    )
    programmes = {p.department_id: p for p in DepartmentProgramme.objects.visible_to(user).filter(year=year)}
    items = list(
        PlannedItem.objects.visible_to(user)
        .filter(programme__year=year)
        .exclude(decision=PlannedItem.Decision.DROPPED)
        .with_progress()
        .select_related("programme")
    )
    topics = list(
        Topic.objects.visible_to(user)
        .filter(plan__year=year, department__isnull=True)
        .published()
        .order_by("quarter", "month", "title")
    )
    rows = {d.pk: OverviewRow(d, programmes.get(d.pk)) for d in departments}
    for item in items:
        row = rows.get(item.programme.department_id)
        if row is None:
            continue
        row.planned += 1
        row.done += item.state == PlannedItem.State.DONE
        if item.topic_id:
            row.topic_ids.add(item.topic_id)
    picked = set().union(*(r.topic_ids for r in rows.values())) if rows else set()
    return Overview(
        rows=list(rows.values()),
        topics=topics,
        unpicked=[t for t in topics if t.pk not in picked],
        without_agreed=[r.department for r in rows.values() if r.programme is None or not r.programme.is_agreed],
    )


@dataclass
class YearSummaryRow:
    department: str
    status: str
    planned: int
    done: int


@dataclass
class YearSummary:
    """The department programmes of a year for the yearly report and the evidence report: each programme's status
    with its planned and done items, the share of planned items done (the KPI measure's figure, computed once here)
    and the practices officers featured."""

    rows: list[YearSummaryRow]
    agreed: int
    share_done: Decimal | None
    featured: list[GoodPractice]


def year_summary(organisation_id: int, year: int, *, today: datetime.date) -> YearSummary:
    statuses = dict(DepartmentProgramme.Status.choices)
    programmes = list(
        DepartmentProgramme.objects.filter(organisation_id=organisation_id, year=year)
        .select_related("department")
        .order_by("department__name")
    )
    counts: dict[int, list[int]] = {p.pk: [0, 0] for p in programmes}
    items = (
        PlannedItem.objects.filter(programme__organisation_id=organisation_id, programme__year=year)
        .exclude(decision=PlannedItem.Decision.DROPPED)
        .with_progress()
    )
    for item in items:
        counts[item.programme_id][0] += 1
        counts[item.programme_id][1] += item.state == PlannedItem.State.DONE
    end = min(today, datetime.date(year, 12, 31))
    return YearSummary(
        rows=[YearSummaryRow(p.department.name, str(statuses[p.status]), *counts[p.pk]) for p in programmes],
        agreed=sum(p.status == DepartmentProgramme.Status.AGREED for p in programmes),
        share_done=planned_items_done(organisation_id, datetime.date(year, 1, 1), end, None),
        featured=list(
            GoodPractice.objects.filter(organisation_id=organisation_id, featured=True, created_at__year=year)
            .select_related("topic")
            .order_by("title")
        ),
    )
