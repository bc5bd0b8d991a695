"""Writes of the programme app: each function validates, saves in one transaction and returns the result."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Department, Organisation
from core import audit, calendar, history, materials, teams
from core.formatting import short_date
from core.mail import render_mail
from core.models import CalendarFeedToken
from core.years import same_day_in_year
from programme.kpis import registry
from programme.models import (
    AnnualPlan,
    BudgetLine,
    Goal,
    HoursConfirmation,
    Kpi,
    KpiMeasurement,
    Message,
    QuarterlyMailing,
    Topic,
    TopicMaterial,
    TopicSuggestion,
)

HOURS_MEASURE = "ambassador_hours_logged"
TOPIC_FIELDS = [
    "title",
    "key_message",
    "why_it_matters",
    "target_audience",
    "channels",
    "month",
    "quarter",
    "department",
    "owner",
]


class StaleTopicError(Exception):
    """Somebody else saved the topic after this form was opened."""


def shift_year(day: datetime.date, years: int) -> datetime.date:
    return same_day_in_year(day, day.year + years)


# Goals and KPIs ---------------------------------------------------------------------------------


@transaction.atomic
def goal_create(*, organisation: Organisation, data: dict[str, Any]) -> Goal:
    goal = Goal(organisation=organisation, **data)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, data: dict[str, Any]) -> Goal:
    for name, value in data.items():
        setattr(goal, name, value)
    goal.full_clean()
    goal.save()
    return goal


def kpi_overlap_error(*, goal: Goal, measure: str, name: str, start, end, exclude_pk=None) -> str | None:
    """The same KPI (same measure, or the same name for manual ones) may not have overlapping periods."""
    others = Kpi.objects.filter(goal=goal, period_start__lte=end, period_end__gte=start)
    others = others.filter(measure=measure) if measure else others.filter(measure="", name__iexact=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    clash = others.first()
    if clash is None:
        return None
    return _("This period overlaps the period of %(name)s (%(start)s to %(end)s) for the same measure.") % {
        "name": clash.name,
        "start": short_date(clash.period_start),
        "end": short_date(clash.period_end),
    }


@transaction.atomic
def kpi_save(*, goal: Goal, data: dict[str, Any], kpi: Kpi | None = None) -> Kpi:
    kpi = kpi or Kpi(goal=goal)
    for name, value in data.items():
        setattr(kpi, name, value)
    # Lock the goal so two officers cannot add overlapping periods at the same moment.
    Goal.objects.select_for_update().filter(pk=goal.pk).first()
    error = kpi_overlap_error(
        goal=goal, measure=kpi.measure, name=kpi.name, start=kpi.period_start, end=kpi.period_end, exclude_pk=kpi.pk
    )
    if error:
        raise ValidationError({"period_start": error})
    kpi.full_clean()
    kpi.save()
    return kpi


def _check_measured_in_period(kpi: Kpi, measured_on: datetime.date) -> None:
    """A measurement dated outside its KPI's period would never count: refuse it rather than store it."""
    if not kpi.period_start <= measured_on <= kpi.period_end:
        raise ValidationError(
            {
                "measured_on": _("The date must fall within the KPI's period, from %(start)s to %(end)s.")
                % {"start": date_format(kpi.period_start), "end": date_format(kpi.period_end)}
            }
        )


@transaction.atomic
def kpi_measurement_add(*, kpi: Kpi, data: dict[str, Any], user) -> KpiMeasurement:
    if not kpi.is_manual:
        raise ValidationError(_("This KPI is computed from the application's data; it takes no manual values."))
    _check_measured_in_period(kpi, data["measured_on"])
    measurement = KpiMeasurement(kpi=kpi, recorded_by=user, **data)
    measurement.full_clean()
    measurement.save()
    return measurement


@transaction.atomic
def kpi_measurement_correct(*, measurement: KpiMeasurement, data: dict[str, Any], reason: str, user) -> KpiMeasurement:
    """Correct a measurement in place; its earlier version and the reason are kept in its history and audited."""
    measurement = KpiMeasurement.objects.select_for_update().select_related("kpi__goal").get(pk=measurement.pk)
    reason = history.require_reason(reason)
    _check_measured_in_period(measurement.kpi, data["measured_on"])
    history.correct(
        measurement,
        fields=["value", "measured_on", "source"],
        data=data,
        reason=reason,
        user=user,
        action="programme.measurement_corrected",
        organisation_id=measurement.kpi.goal.organisation_id,
        # Who recorded it once may have left (the field is then empty); that is no reason to refuse a correction.
        exclude_from_validation=["recorded_by"],
    )
    return measurement


def goal_delete_refusal(goal: Goal) -> str | None:
    if KpiMeasurement.objects.filter(kpi__goal=goal).exists():
        return _(
            "This goal has KPIs with recorded measurements; those are records others rely on. "
            "Correct the goal or its KPIs instead of deleting it."
        )
    return None


@transaction.atomic
def goal_delete(*, goal: Goal, user) -> None:
    Goal.objects.select_for_update().filter(pk=goal.pk).first()
    refusal = goal_delete_refusal(goal)
    if refusal:
        raise ValidationError(refusal)
    audit.record("programme.goal_deleted", actor=user, obj=goal, detail=goal.title)
    goal.delete()


def kpi_delete_refusal(kpi: Kpi) -> str | None:
    if kpi.measurements.exists():
        return _(
            "This KPI has recorded measurements; those are records others rely on. "
            "Correct the KPI or its measurements instead of deleting it."
        )
    return None


@transaction.atomic
def kpi_delete(*, kpi: Kpi, user) -> None:
    Kpi.objects.select_for_update().filter(pk=kpi.pk).first()
    refusal = kpi_delete_refusal(kpi)
    if refusal:
        raise ValidationError(refusal)
    audit.record("programme.kpi_deleted", actor=user, obj=kpi, detail=kpi.name)
    kpi.delete()


def _quarter_ends(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The last days of the calendar quarters that end within ``start``..``end`` (exclusive of ``end``)."""
    ends = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while True:
        last_month = 3 * quarter
        day = (
            datetime.date(year, 12, 31)
            if last_month == 12
            else datetime.date(year, last_month + 1, 1) - datetime.timedelta(days=1)
        )
        if day >= end:
            return ends
        ends.append(day)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def kpi_trend(kpi: Kpi, today: datetime.date, cache: dict | None = None) -> list[tuple[datetime.date, Decimal | None]]:
    """The KPI's values over the periods measured so far, oldest first.

    A manual KPI: each measurement of its period up to today. A computed KPI:
    its value from the period's start to the end of each calendar quarter that
    has passed, and to today (the current value), one computation per point
    (shared through ``cache`` between KPIs of the same measure and period).
    """
    if kpi.is_manual:
        return [(m.measured_on, m.value) for m in kpi.measurements_in_period() if m.measured_on <= today]
    measure = kpi.measure_definition()
    last = min(kpi.period_end, today)
    if measure is None or last < kpi.period_start:
        return []
    cache = {} if cache is None else cache
    points = []
    for day in [*_quarter_ends(kpi.period_start, last), last]:
        key = (kpi.measure, kpi.goal.organisation_id, kpi.period_start, day)
        if key not in cache:
            cache[key] = measure.compute(kpi.goal.organisation, kpi.period_start, day, None)
        points.append((day, cache[key]))
    return points


def kpi_overview(kpis: Iterable[Kpi], today: datetime.date | None = None) -> list[Kpi]:
    """Set ``value``, ``available``, ``trend`` and ``state`` (on track, at risk, off track) on each KPI.

    The current value is the last point of the trend: the latest measurement in
    the period, or the computed value up to today.
    """
    today = today or datetime.date.today()
    cache: dict = {}
    kpis = list(kpis)
    for kpi in kpis:
        kpi.available = kpi.is_manual or kpi.measure_definition() is not None
        kpi.trend = kpi_trend(kpi, today, cache)
        kpi.value = kpi.trend[-1][1] if kpi.trend else None
        first = kpi.trend[0][1] if kpi.trend else None
        kpi.state = kpi.status_on(kpi.value, today, first_value=first)
    return kpis


# The annual plan --------------------------------------------------------------------------------


def plan_create(*, organisation: Organisation, year: int) -> AnnualPlan:
    """The year's plan as an empty draft (the existing one when it is already there)."""
    return plan_for_year(organisation=organisation, year=year)


def plan_for_year(*, organisation: Organisation, year: int) -> AnnualPlan:
    plan, _created = AnnualPlan.objects.get_or_create(
        organisation=organisation, year=year, defaults={"title": _("Annual plan %(year)s") % {"year": year}}
    )
    return plan


@transaction.atomic
def topic_create(*, plan: AnnualPlan, data: dict[str, Any]) -> Topic:
    topic = Topic(plan=plan, status=Topic.Status.DRAFT, **{k: v for k, v in data.items() if k in TOPIC_FIELDS})
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_update(*, topic: Topic, expected_version: int, data: dict[str, Any], reason: str = "", user=None) -> Topic:
    """Save the form's values only if nobody saved the topic since the form was opened.

    The version check and the increment are one UPDATE, so of two officers
    saving at once exactly one wins; the other gets StaleTopicError. A topic of a
    published plan is a fact: its edit needs a reason and is kept in its history.
    """
    before = None
    if topic.is_fact:
        reason = history.require_reason(reason)
        before = history.snapshot(topic, TOPIC_FIELDS)
    for name, value in data.items():
        if name in TOPIC_FIELDS:
            setattr(topic, name, value)
    topic.full_clean()
    values = {name: getattr(topic, name) for name in TOPIC_FIELDS if name not in ("department", "owner")}
    values.update(department=topic.department, owner=topic.owner)
    updated = Topic.objects.filter(pk=topic.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise StaleTopicError
    topic.version = expected_version + 1
    if before is not None:
        history.record(
            topic,
            before=before,
            reason=reason,
            user=user,
            action="programme.topic_corrected",
            organisation_id=topic.plan.organisation_id,
        )
    return topic


@transaction.atomic
def topic_set_status(*, topic: Topic, status: str) -> Topic:
    was_published = topic.status == Topic.Status.PUBLISHED
    Topic.objects.filter(pk=topic.pk).update(status=status, version=F("version") + 1, updated_at=timezone.now())
    topic.refresh_from_db()
    if status == Topic.Status.PUBLISHED and not was_published and topic.plan.status == AnnualPlan.Status.PUBLISHED:
        teams.announce(
            key=f"topic:{topic.pk}:published",
            organisation_id=topic.plan.organisation_id,
            department_id=topic.department_id,
            title=str(topic.title),
            text=topic.key_message,
            path=reverse("programme:topic", args=[topic.pk]),
        )
    return topic


@transaction.atomic
def topic_delete(*, topic: Topic) -> None:
    for material in topic.materials.exclude(file=""):
        material.file.delete(save=False)
    topic.delete()


@transaction.atomic
def plan_publish(*, plan: AnnualPlan) -> AnnualPlan:
    """Publish the plan and every topic in it."""
    plan.status = AnnualPlan.Status.PUBLISHED
    plan.save(update_fields=["status", "updated_at"])
    plan.topics.filter(status=Topic.Status.DRAFT).update(
        status=Topic.Status.PUBLISHED, version=F("version") + 1, updated_at=timezone.now()
    )
    teams.announce(
        key=f"plan:{plan.pk}:published",
        organisation_id=plan.organisation_id,
        title=_("The annual plan %(year)s has been published") % {"year": plan.year},
        text=", ".join(plan.topics.order_by("quarter", "month", "title").values_list("title", flat=True)[:12]),
        path=reverse("programme:plan", args=[plan.year]),
    )
    return plan


@transaction.atomic
def plan_copy(*, source: AnnualPlan, year: int) -> AnnualPlan:
    """Start ``year`` from ``source``: topics, links and messages copied, dates shifted, all back to draft.

    Refused when the target year already has topics, so nothing is copied twice.
    Uploaded files are not copied (they belong to their year); links are.
    """
    target = plan_for_year(organisation=source.organisation, year=year)
    target = AnnualPlan.objects.select_for_update().get(pk=target.pk)
    if target.topics.exists():
        raise ValidationError(_("The plan for %(year)s already has topics; nothing was copied.") % {"year": year})
    shift = year - source.year
    topics = list(source.topics.prefetch_related("materials", "messages"))
    for old in topics:
        new = Topic.objects.create(
            plan=target,
            status=Topic.Status.DRAFT,
            **{name: getattr(old, name) for name in TOPIC_FIELDS},
        )
        TopicMaterial.objects.bulk_create(
            TopicMaterial(topic=new, title=m.title, url=m.url) for m in old.materials.all() if m.url
        )
        Message.objects.bulk_create(
            Message(
                topic=new,
                channel=m.channel,
                planned_on=shift_year(m.planned_on, shift),
                title=m.title,
                notes=m.notes,
                status=Message.Status.PLANNED,
            )
            for m in old.messages.all()
        )
    target.status = AnnualPlan.Status.DRAFT
    target.save(update_fields=["status", "updated_at"])
    return target


@transaction.atomic
def suggestions_pull(*, plan: AnnualPlan, suggestions: Iterable[TopicSuggestion], quarter: int, owner) -> list[Topic]:
    """Turn open suggestions into draft topics of the plan, marking them accepted and linked."""
    topics = []
    for suggestion in suggestions:
        suggestion = TopicSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != TopicSuggestion.Status.OPEN or suggestion.organisation_id != plan.organisation_id:
            continue
        topic = Topic.objects.create(
            plan=plan,
            title=suggestion.title[:200],
            why_it_matters=suggestion.description,
            quarter=quarter,
            owner=owner,
            status=Topic.Status.DRAFT,
        )
        suggestion.status = TopicSuggestion.Status.ACCEPTED
        suggestion.topic = topic
        suggestion.save(update_fields=["status", "topic"])
        topics.append(topic)
    return topics


@transaction.atomic
def suggestion_create(*, organisation: Organisation, user, data: dict[str, Any]) -> TopicSuggestion:
    suggestion = TopicSuggestion(
        organisation=organisation, suggested_by=user, source=TopicSuggestion.Source.OFFICER, **data
    )
    suggestion.full_clean()
    suggestion.save()
    return suggestion


@transaction.atomic
def suggestion_decline(*, suggestion: TopicSuggestion) -> TopicSuggestion:
    TopicSuggestion.objects.filter(pk=suggestion.pk, status=TopicSuggestion.Status.OPEN).update(
        status=TopicSuggestion.Status.DECLINED
    )
    suggestion.refresh_from_db()
    return suggestion


def material_add(*, topic: Topic, title: str, file=None, url: str = "") -> TopicMaterial:
    """Checked, stored and saved by the one material service (core.materials)."""
    return materials.material_create(TopicMaterial, topic=topic, title=title, file=file, url=url)


def material_delete(*, material: TopicMaterial) -> None:
    materials.material_delete(material)


# Communication ----------------------------------------------------------------------------------


MESSAGE_FIELDS = ["channel", "planned_on", "title", "notes"]


@transaction.atomic
def message_save(
    *, topic: Topic, data: dict[str, Any], message: Message | None = None, reason: str = "", user=None
) -> Message:
    """Plan a message or edit a planned one; a sent message is a fact, corrected with a reason (its history)."""
    if message is not None and message.is_fact:
        # Fresh from the database: the form has already set its values on the instance it was given.
        message = Message.objects.select_for_update().get(pk=message.pk)
        history.correct(
            message,
            data=data,
            fields=[name for name in MESSAGE_FIELDS if name in data],
            reason=reason,
            user=user,
            action="programme.message_corrected",
            organisation_id=topic.plan.organisation_id,
        )
        return message
    message = message or Message(topic=topic)
    for name, value in data.items():
        setattr(message, name, value)
    message.full_clean()
    message.save()
    return message


@transaction.atomic
def message_mark_sent(*, message: Message) -> Message:
    if message.status != Message.Status.SENT:
        message.status = Message.Status.SENT
        message.sent_at = timezone.now()
        message.save(update_fields=["status", "sent_at"])
    return message


@transaction.atomic
def message_delete(*, message: Message) -> None:
    message.delete()


class MailingStartedError(ValidationError):
    """The mailing is being (or has been) sent: its text and its existence are facts now."""

    def __init__(self) -> None:
        super().__init__(_("Sending of this mailing has already started; it can no longer be changed or cancelled."))


@transaction.atomic
def mailing_save(*, organisation: Organisation, year: int, quarter: int, data: dict[str, Any]) -> QuarterlyMailing:
    mailing, created = QuarterlyMailing.objects.select_for_update().get_or_create(
        organisation=organisation, year=year, quarter=quarter, defaults=data
    )
    if not created and mailing.started_at is not None:
        raise MailingStartedError
    for name, value in data.items():
        setattr(mailing, name, value)
    mailing.full_clean()
    mailing.save()
    return mailing


@transaction.atomic
def mailing_cancel(*, mailing: QuarterlyMailing, user) -> None:
    """Withdraw a mailing that has not started: it is removed, so the quarter's start does not send it."""
    locked = QuarterlyMailing.objects.select_for_update().filter(pk=mailing.pk).first()
    if locked is None:
        return
    if locked.started_at is not None:
        raise MailingStartedError
    audit.record("programme.mailing_cancelled", actor=user, obj=locked, detail=f"Q{locked.quarter} {locked.year}")
    locked.delete()


def current_ambassadors(organisation_id: int) -> list[tuple[Any, frozenset[int]]]:
    """Each current appointment of the organisation as (ambassador, ids of the departments covered): two queries."""
    try:
        appointment_model = apps.get_model("ambassadors", "Appointment")
    except LookupError:
        return []
    appointments = (
        appointment_model.objects.current()
        .filter(organisation_id=organisation_id)
        .select_related("user")
        .prefetch_related("departments")
    )
    return [(a.user, frozenset(d.pk for d in a.departments.all())) for a in appointments]


def department_ambassadors(
    department: Department | None, ambassadors: list[tuple[Any, frozenset[int]]] | None = None
) -> list:
    """The current ambassadors of the department or a department above it (nearest first).

    ``ambassadors``: the organisation's :func:`current_ambassadors`, when the
    caller needs this for many departments (the quarterly mailing).
    """
    if department is None:
        return []
    if ambassadors is None:
        ambassadors = current_ambassadors(department.organisation_id)
    # The materialised path lists the department's ancestors from the top: their depth is their place in it.
    depth = {int(part): place for place, part in enumerate(department.path.strip("/").split("/"), start=1) if part}
    ranked = []
    for user, covered in ambassadors:
        nearest = max((depth[pk] for pk in covered if pk in depth), default=None)
        if nearest is not None:
            ranked.append((-nearest, user.full_name, user))
    users = []
    for _rank, _name, user in sorted(ranked, key=lambda row: (row[0], row[1])):
        if user not in users:
            users.append(user)
    return users


def mailing_topics(*, mailing: QuarterlyMailing, department: Department | None):
    return (
        Topic.objects.filter(plan__organisation_id=mailing.organisation_id)
        .published()
        .in_quarter(mailing.year, mailing.quarter)
        .for_department(department)
        .select_related("department")
        .order_by("month", "title")
    )


def mailing_render(
    *,
    mailing: QuarterlyMailing,
    department: Department | None,
    language: str,
    unsubscribe_url: str = "",
    ambassadors: list | None = None,
) -> tuple[str, str, str]:
    """Subject, text body and HTML body of the quarter's mailing as an employee of ``department`` gets it.

    ``ambassadors``: the organisation's :func:`current_ambassadors`, loaded once by a caller rendering many.
    """
    context = {
        "unsubscribe_url": unsubscribe_url,
        "mailing": mailing,
        "department": department,
        "topics": list(mailing_topics(mailing=mailing, department=department)),
        "ambassadors": department_ambassadors(department, ambassadors),
        "organisation": mailing.organisation,
        "site_url": settings.SITE_URL,
    }
    return render_mail("programme_quarterly", context, language)


# Managers and budget ----------------------------------------------------------------------------


@transaction.atomic
def hours_confirm(*, department: Department, year: int, hours_per_month: Decimal, user) -> HoursConfirmation:
    confirmation = HoursConfirmation(
        department=department, year=year, hours_per_month=hours_per_month, confirmed_by=user
    )
    confirmation.full_clean()
    confirmation.save()
    return confirmation


@transaction.atomic
def budget_line_save(
    *, organisation: Organisation, year: int, data: dict[str, Any], line: BudgetLine | None = None
) -> BudgetLine:
    line = line or BudgetLine(organisation=organisation, year=year)
    for name, value in data.items():
        setattr(line, name, value)
    line.full_clean()
    line.save()
    return line


BUDGET_LINE_FIELDS = ["unit", "category", "description", "planned", "actual"]


@transaction.atomic
def budget_line_correct(*, line: BudgetLine, data: dict[str, Any], reason: str, user) -> BudgetLine:
    """Correct a recorded budget line in place; the earlier values and the reason are kept in its history."""
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    # Amounts as stored (two decimals), so the history compares 120 and 120.00 as the same amount.
    data = {
        name: value.quantize(Decimal("0.01")) if isinstance(value, Decimal) else value for name, value in data.items()
    }
    history.correct(
        line,
        data=data,
        fields=[name for name in BUDGET_LINE_FIELDS if name in data],
        reason=reason,
        user=user,
        action="programme.budget_line_corrected",
        organisation_id=line.organisation_id,
    )
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine) -> None:
    line.delete()


@dataclass(frozen=True)
class TimeBudget:
    allotted: Decimal
    logged: Decimal | None  # None: no measure of logged hours is registered yet
    confirmations: list[HoursConfirmation]

    @property
    def is_overrun(self) -> bool:
        return self.logged is not None and self.logged > self.allotted


def time_budget(*, organisation: Organisation, year: int, departments=None) -> TimeBudget:
    """Hours allotted (the managers' latest confirmations, times twelve) against hours logged."""
    confirmations = HoursConfirmation.objects.filter(department__organisation=organisation)
    if departments is not None:
        confirmations = confirmations.filter(department__in=departments)
    latest = confirmations.select_related("department").latest_per_department(year)
    allotted = sum((c.hours_per_month * 12 for c in latest.values()), Decimal(0))
    measure = registry.get(HOURS_MEASURE)
    logged = None
    if measure is not None:
        ids = None if departments is None else [d.pk for d in departments]
        logged = measure.compute(organisation, datetime.date(year, 1, 1), datetime.date(year, 12, 31), ids)
        logged = Decimal(0) if logged is None else Decimal(logged)
    return TimeBudget(
        allotted=allotted,
        logged=logged,
        confirmations=sorted(latest.values(), key=lambda c: c.department.path),
    )


# Calendar feed ----------------------------------------------------------------------------------


def calendar_token_rotate(*, user) -> CalendarFeedToken:
    """A new secret link to the person's annual-plan calendar (the first one, or one that revokes the old)."""
    return calendar.feed_token_rotate(user=user, feed=calendar.Feed.PLAN)
