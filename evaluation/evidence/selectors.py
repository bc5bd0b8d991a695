"""Reads of the evidence report and the maturity self-assessment.

Every evidence figure is an aggregate in the database: :func:`evidence_for_year`
runs the same queries whatever the size of the data (one or two per kind of
record, grouped rows only for the year's modules, mailings and departments),
and the report adds one query for the controls and one for the explanations.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db.models import Avg, BooleanField, Count, Exists, ExpressionWrapper, F, Max, Min, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Officer, User
from ambassadors.models import Activity, Appointment, Feedback
from ambassadors.programmes.selectors import year_summary
from ambassadors.selectors import coverage_units, current_appointment_filter
from core.figures import percentage
from core.formatting import number, percent
from evaluation.dashboards.kpis import year_kpis
from evaluation.evidence.kinds import EVIDENCE_KINDS
from evaluation.evidence.models import (
    BuildingBlock,
    Control,
    ControlExplanation,
    ControlFramework,
    MaturityAnswer,
    MaturityAssessment,
)
from evaluation.report.models import EvaluationReport
from incidents.models import (
    APDecision,
    APNotification,
    DataLeak,
    DataLeakAccess,
    DataLeakAttachment,
    DataLeakEvent,
    SubjectNotification,
    SubjectsDecision,
)
from incidents.state import NOTIFIED, LeakState
from programme.kpi_status import Status
from programme.models import AnnualPlan, Goal, HoursConfirmation, QuarterlyMailing, Topic, TopicSuggestion
from training.models import Enrolment, Module
from training.selectors import ambassador_progress

DEADLINE = datetime.timedelta(hours=72)


def display_value(value: Any, unit: str = "") -> str:
    """A value in Dutch form: "1.234", "30,0%", "1 dec. 2026"; a dash for what is not known."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, (Decimal, int)):
        decimals = 1 if unit == "%" or (isinstance(value, Decimal) and value % 1) else 0
        return percent(value, decimals) if unit == "%" else number(value, decimals)
    return f"{value}%" if unit == "%" else str(value)


@dataclass
class Fact:
    """One figure of the evidence: a label, a value (count, percentage, date or text) and its unit."""

    label: str
    value: Any
    unit: str = ""

    @property
    def display(self) -> str:
        return display_value(self.value, self.unit)


@dataclass
class Link:
    """A page with the underlying records; shown only to whom may open it (see accounts.permissions.evidence)."""

    label: str
    url_name: str
    args: tuple = ()
    query: str = ""


@dataclass
class Evidence:
    kind: str
    title: str
    facts: list[Fact]
    links: list[Link] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """From local midnight of 1 January to that of the next year, as moments (a range that can use an index)."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return start, end


def reference_day(year: int, today: datetime.date) -> datetime.date:
    """The day whose situation the year's report shows: today for the current year, 31 December for a past one."""
    return min(today, datetime.date(year, 12, 31))


def _training_evidence(period: _Period) -> dict[str, Evidence]:
    """Training: the year's sessions per module (one grouped query), and the ambassadors' progress (one)."""
    organisation_id, year, day, start, end, now, in_year = period
    result: dict[str, Evidence] = {}
    held = Q(sessions__starts_at__gte=start, sessions__starts_at__lt=now)
    attended_place = held & Q(sessions__enrolments__status=Enrolment.Status.ENROLLED)
    modules = list(
        Module.objects.filter(organisation_id=organisation_id)
        .filter(Q(year=year) | Q(sessions__starts_at__gte=start, sessions__starts_at__lt=end))
        .values("pk", "title", "is_mandatory")
        .annotate(
            held=Count("sessions", filter=held, distinct=True),
            first=Min("sessions__starts_at", filter=held),
            last=Max("sessions__starts_at", filter=held),
            places=Count("sessions__enrolments", filter=attended_place, distinct=True),
            attended=Count(
                "sessions__enrolments", filter=attended_place & Q(sessions__enrolments__attended=True), distinct=True
            ),
        )
        .order_by("-is_mandatory", "title")
    )
    sessions_held = sum(m["held"] for m in modules)
    mandatory = [m for m in modules if m["is_mandatory"]]
    mandatory_places = sum(m["places"] for m in mandatory)
    mandatory_attended = sum(m["attended"] for m in mandatory)
    firsts = [m["first"] for m in modules if m["first"]]
    lasts = [m["last"] for m in modules if m["last"]]
    result["training_sessions"] = Evidence(
        "training_sessions",
        str(EVIDENCE_KINDS["training_sessions"]),
        [
            Fact(_("Sessions held"), sessions_held),
            Fact(_("First session"), timezone.localdate(min(firsts)) if firsts else None),
            Fact(_("Last session"), timezone.localdate(max(lasts)) if lasts else None),
            Fact(_("Places in sessions of mandatory modules"), mandatory_places),
            Fact(_("Of those attended"), mandatory_attended),
            Fact(_("Attendance of mandatory modules"), percentage(mandatory_attended, mandatory_places), "%"),
            Fact(_("Places attended, all modules"), sum(m["attended"] for m in modules)),
        ],
        [Link(_("Training sessions"), "training:session_list"), Link(_("Modules"), "training:module_list")],
        [_("Module"), _("Mandatory"), _("Sessions held"), _("Places"), _("Attended")],
        [
            [m["title"], _("yes") if m["is_mandatory"] else _("no"), m["held"], m["places"], m["attended"]]
            for m in modules
        ],
    )
    progress = ambassador_progress(organisation_id=organisation_id, year=year, today=day).aggregate(
        ambassadors=Count("pk"), mean=Avg("percent"), complete=Count("pk", filter=Q(percent__gte=100))
    )
    result["mandatory_training"] = Evidence(
        "mandatory_training",
        str(EVIDENCE_KINDS["mandatory_training"]),
        [
            Fact(_("Mandatory modules of the year"), len(mandatory)),
            Fact(_("Ambassadors"), progress["ambassadors"]),
            Fact(_("Ambassadors who completed every mandatory module"), progress["complete"]),
            Fact(
                _("Mean completion per ambassador"),
                Decimal(progress["mean"]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                if progress["mean"] is not None
                else None,
                "%",
            ),
        ],
        [Link(_("Training progress"), "training:progress")],
    )
    return result


def _communication_evidence(period: _Period) -> dict[str, Evidence]:
    """Communication: the annual plan's topics (one query) and the quarterly mailings with their reach (two)."""
    organisation_id, year, day, start, end, now, in_year = period
    result: dict[str, Evidence] = {}
    topics = Topic.objects.filter(plan__organisation_id=organisation_id, plan__year=year).aggregate(
        total=Count("id"),
        published=Count("id", filter=Q(status=Topic.Status.PUBLISHED, plan__status=AnnualPlan.Status.PUBLISHED)),
    )
    result["topics_published"] = Evidence(
        "topics_published",
        str(EVIDENCE_KINDS["topics_published"]),
        [Fact(_("Topics in the annual plan"), topics["total"]), Fact(_("Topics published"), topics["published"])],
        [Link(_("Annual plan %(year)s") % {"year": year}, "programme:plan", (year,))],
    )
    sent = Q(recipients__status="sent")
    mailings = list(
        QuarterlyMailing.objects.filter(organisation_id=organisation_id, year=year, sent_at__isnull=False)
        .values("quarter", "sent_at")
        .annotate(
            delivered=Count("recipients", filter=sent),
            undelivered=Count("recipients", filter=Q(recipients__status="failed")),
        )
        .order_by("quarter")
    )
    reach = QuarterlyMailing.objects.filter(organisation_id=organisation_id, year=year).aggregate(
        people=Count("recipients__user", filter=sent, distinct=True)
    )["people"]
    employees = User.objects.filter(organisation_id=organisation_id, is_active=True).count()
    result["mailings"] = Evidence(
        "mailings",
        str(EVIDENCE_KINDS["mailings"]),
        [
            Fact(_("Mailings sent"), len(mailings)),
            Fact(_("Mails delivered"), sum(m["delivered"] for m in mailings)),
            Fact(_("Mails failed"), sum(m["undelivered"] for m in mailings)),
            Fact(_("Employees reached at least once"), reach),
            Fact(_("Active employees"), employees),
            Fact(_("Reach"), percentage(reach, employees), "%"),
        ],
        [Link(_("Communication %(year)s") % {"year": year}, "programme:communication", (year,))],
        [_("Quarter"), _("Sent on"), _("Delivered"), _("Failed")],
        [[f"K{m['quarter']}", timezone.localdate(m["sent_at"]), m["delivered"], m["undelivered"]] for m in mailings],
    )
    return result


def _department_programme_evidence(period: _Period) -> dict[str, Evidence]:
    """The planned awareness programme per department (ISO 27002 6.3): the shared year summary (three queries)."""
    organisation_id, year, day, start, end, now, in_year = period
    summary = year_summary(organisation_id, year, today=day)
    return {
        "department_programmes": Evidence(
            "department_programmes",
            str(EVIDENCE_KINDS["department_programmes"]),
            [
                Fact(_("Department programmes drawn up"), len(summary.rows)),
                Fact(_("Department programmes agreed"), summary.agreed),
                Fact(_("Share of planned items done"), summary.share_done, "%")
                if summary.share_done is not None
                else Fact(_("Share of planned items done"), _("not yet due")),
            ],
            [Link(_("Department programmes %(year)s") % {"year": year}, "department_programmes:overview", (year,))],
            [_("Department"), _("Programme"), _("Planned items"), _("Done")],
            [[r.department, r.status, r.planned, r.done] for r in summary.rows],
        )
    }


def _ambassador_evidence(period: _Period) -> dict[str, Evidence]:
    """Ambassadors: coverage per department (one grouped query) and the number of ambassadors (one)."""
    organisation_id, year, day, start, end, now, in_year = period
    result: dict[str, Evidence] = {}
    departments = list(
        coverage_units(organisation_id)
        .annotate(ambassadors=Count("appointments", filter=current_appointment_filter(day), distinct=True))
        .values("name", "ambassadors")
        .order_by("name")
    )
    covered = sum(1 for d in departments if d["ambassadors"])
    ambassadors = (
        Appointment.objects.filter(organisation_id=organisation_id).current(day).values("user_id").distinct().count()
    )
    result["ambassador_coverage"] = Evidence(
        "ambassador_coverage",
        str(EVIDENCE_KINDS["ambassador_coverage"]),
        [
            Fact(_("Ambassadors on %(date)s") % {"date": date_format(day, "SHORT_DATE_FORMAT")}, ambassadors),
            Fact(_("Departments"), len(departments)),
            Fact(_("Departments with an ambassador"), covered),
            Fact(_("Coverage"), percentage(covered, len(departments)), "%"),
        ],
        [Link(_("Coverage of departments"), "ambassadors:coverage")],
        [_("Department"), _("Ambassadors")],
        [[d["name"], d["ambassadors"]] for d in departments],
    )
    activities = Activity.objects.filter(
        organisation_id=organisation_id, date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
    ).aggregate(
        count=Count("id"),
        hours=Coalesce(Sum("hours"), Decimal("0")),
        reached=Coalesce(Sum("colleagues_reached"), 0),
        people=Count("user_id", distinct=True),
    )
    result["activities"] = Evidence(
        "activities",
        str(EVIDENCE_KINDS["activities"]),
        [
            Fact(_("Activities logged"), activities["count"]),
            Fact(_("Hours"), activities["hours"]),
            Fact(_("Colleagues reached"), activities["reached"]),
            Fact(_("Ambassadors who logged activities"), activities["people"]),
        ],
        [Link(_("Activities"), "ambassadors:activity_list")],
    )
    return result


def _survey_evidence(period: _Period) -> dict[str, Evidence]:
    """Surveys of the year (one query)."""
    organisation_id, year, day, start, end, now, in_year = period
    result: dict[str, Evidence] = {}
    from evaluation.surveys.models import Survey

    surveys = (
        Survey.objects.filter(organisation_id=organisation_id, deadline__year=year)
        .exclude(status="draft")
        .aggregate(count=Count("id", distinct=True), responses=Count("responses", distinct=True))
    )
    result["surveys"] = Evidence(
        "surveys",
        str(EVIDENCE_KINDS["surveys"]),
        [Fact(_("Surveys sent"), surveys["count"]), Fact(_("Responses"), surveys["responses"])],
        [Link(_("Surveys"), "evaluation:survey_list")],
    )
    return result


def _management_evidence(period: _Period) -> dict[str, Evidence]:
    """Management: goals and KPIs (one), the KPIs on track (their status, as the dashboards count it), the plan (one), hours confirmed by managers (one), the evaluation (one)."""
    organisation_id, year, day, start, end, now, in_year = period
    result: dict[str, Evidence] = {}
    goals = Goal.objects.filter(organisation_id=organisation_id, year=year).aggregate(
        goals=Count("id", distinct=True), kpis=Count("kpis", distinct=True)
    )
    plan = AnnualPlan.objects.filter(organisation_id=organisation_id, year=year).values("status", "updated_at").first()
    confirmed = (
        HoursConfirmation.objects.filter(department__organisation_id=organisation_id, year=year)
        .values("department_id")
        .distinct()
        .count()
    )
    report = EvaluationReport.objects.filter(organisation_id=organisation_id, year=year).values("status").first()
    plan_statuses = dict(AnnualPlan.Status.choices)
    report_statuses = dict(EvaluationReport.Status.choices)
    result["management"] = Evidence(
        "management",
        str(EVIDENCE_KINDS["management"]),
        [
            Fact(_("Goals"), goals["goals"]),
            Fact(_("KPIs"), goals["kpis"]),
            # The status each KPI's page shows (programme.kpi_status), counted, never judged again here.
            Fact(
                _("KPIs on track"),
                sum(k.state.status == Status.ON_TRACK for k in year_kpis(organisation_id, year, day)),
            ),
            Fact(_("Annual plan"), str(plan_statuses[plan["status"]]) if plan else _("none")),
            Fact(_("Departments whose manager confirmed the ambassador's hours"), confirmed),
            Fact(_("Yearly evaluation"), str(report_statuses[report["status"]]) if report else _("not started")),
        ],
        [
            Link(_("Goals and KPIs %(year)s") % {"year": year}, "programme:goals", (year,)),
            Link(_("Hours confirmed by managers"), "programme:hours"),
            Link(_("Yearly evaluation %(year)s") % {"year": year}, "evaluation:year_report", (year,)),
        ],
    )
    return result


def _roles_evidence(period: _Period) -> dict[str, Evidence]:
    """Roles: the officers per kind (one grouped query) and the departments with an ambassador (one)."""
    organisation_id, year, day, start, end, now, in_year = period
    result: dict[str, Evidence] = {}
    covered = coverage_units(organisation_id).filter(current_appointment_filter(day)).distinct().count()
    officers = dict(
        Officer.objects.filter(user__organisation_id=organisation_id, user__is_active=True)
        .values("kind")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("kind", "n")
    )
    result["roles"] = Evidence(
        "roles",
        str(EVIDENCE_KINDS["roles"]),
        [Fact(str(label), officers.get(kind, 0)) for kind, label in Officer.Kind.choices]
        + [Fact(_("Departments with an ambassador as first point of contact"), covered)],
        [Link(_("Coverage of departments"), "ambassadors:coverage")],
    )
    return result


def _data_leak_evidence(period: _Period) -> dict[str, Evidence]:
    """Data leaks of the year: one aggregate over the reports, with EXISTS per report for the notifications."""
    organisation_id, year, day, start, end, now, in_year = period
    result: dict[str, Evidence] = {}
    initial = APNotification.objects.filter(leak=OuterRef("pk"), kind=APNotification.Kind.INITIAL)
    leaks = (
        DataLeak.objects.filter(organisation_id=organisation_id, **in_year)
        .with_state()
        .annotate(
            # Notified and not withdrawn, as the derived state says (incidents.state).
            is_notified=ExpressionWrapper(NOTIFIED, output_field=BooleanField()),
            is_on_time=Exists(initial.filter(notified_at__lte=OuterRef("aware_at") + DEADLINE)),
            is_informed=Exists(SubjectNotification.objects.filter(leak=OuterRef("pk"))),
        )
        .aggregate(
            reported=Count("id"),
            departments=Count("department_id", distinct=True),
            within_day=Count("id", filter=Q(created_at__lte=F("discovered_at") + datetime.timedelta(hours=24))),
            via_ambassador=Count("id", filter=Q(on_behalf_of__isnull=False) | ~Q(on_behalf_of_name="")),
            no_leak=Count("id", filter=Q(derived_state=LeakState.NO_LEAK)),
            assessed=Count("id", filter=~Q(severity="") | Q(derived_state=LeakState.NO_LEAK)),
            decided=Count("id", filter=~Q(ap_decision="")),
            both_decided=Count("id", filter=~Q(ap_decision="") & ~Q(subjects_decision="")),
            open=Count("id", filter=Q(closed_at__isnull=True, no_leak_at__isnull=True)),
            to_notify=Count("id", filter=Q(ap_decision=APDecision.NOTIFY)),
            notified=Count("id", filter=Q(is_notified=True)),
            on_time=Count("id", filter=Q(is_on_time=True)),
            late_explained=Count("id", filter=Q(is_notified=True, is_on_time=False) & ~Q(late_reason="")),
            subjects_to_inform=Count("id", filter=Q(subjects_decision=SubjectsDecision.INFORM)),
            informed=Count("id", filter=Q(is_informed=True)),
            closed=Count("id", filter=Q(derived_state=LeakState.CLOSED)),
            lessons=Count("id", filter=~Q(lesson="")),
            lesson_topics=Count("id", filter=Q(topic_suggestion__isnull=False)),
            lesson_in_plan=Count("id", filter=Q(topic_suggestion__status=TopicSuggestion.Status.ACCEPTED)),
            complete=Count("id", filter=_register_complete()),
        )
    )
    register = Link(
        _("Data-leak register %(year)s") % {"year": year},
        "incidents:register",
        (),
        f"start={year}-01-01&end={year}-12-31",
    )
    real = leaks["reported"] - leaks["no_leak"]
    result["dataleaks_reported"] = Evidence(
        "dataleaks_reported",
        str(EVIDENCE_KINDS["dataleaks_reported"]),
        [
            Fact(_("Reports"), leaks["reported"]),
            Fact(_("Departments that reported"), leaks["departments"]),
            Fact(_("Reported within 24 hours of discovery"), leaks["within_day"]),
            Fact(_("Reported by an ambassador on a colleague's behalf"), leaks["via_ambassador"]),
            Fact(_("Assessed as no data leak"), leaks["no_leak"]),
        ],
        [register, Link(_("Data-leak statistics"), "incidents:statistics")],
    )
    result["dataleaks_decided"] = Evidence(
        "dataleaks_decided",
        str(EVIDENCE_KINDS["dataleaks_decided"]),
        [
            Fact(_("Reports assessed"), leaks["assessed"]),
            Fact(_("AP decision recorded"), leaks["decided"]),
            Fact(_("Both decisions recorded (AP and data subjects)"), leaks["both_decided"]),
            Fact(_("Still open"), leaks["open"]),
        ],
        [register],
    )
    result["dataleaks_notified"] = Evidence(
        "dataleaks_notified",
        str(EVIDENCE_KINDS["dataleaks_notified"]),
        [
            Fact(_("To be notified to the AP"), leaks["to_notify"]),
            Fact(_("Notified to the AP"), leaks["notified"]),
            Fact(_("Notified within 72 hours"), leaks["on_time"]),
            Fact(_("On time"), percentage(leaks["on_time"], leaks["notified"]), "%"),
            Fact(_("Notified late, with the reason recorded"), leaks["late_explained"]),
            Fact(_("Data subjects to be informed"), leaks["subjects_to_inform"]),
            Fact(_("Data subjects informed"), leaks["informed"]),
        ],
        [register],
    )
    result["lessons"] = Evidence(
        "lessons",
        str(EVIDENCE_KINDS["lessons"]),
        [
            Fact(_("Reports closed"), leaks["closed"]),
            Fact(_("With a lesson learned"), leaks["lessons"]),
            Fact(_("Lessons proposed as a plan topic"), leaks["lesson_topics"]),
            Fact(_("Lessons taken into an annual plan"), leaks["lesson_in_plan"]),
        ],
        [register, Link(_("Topic suggestions"), "programme:suggestions")],
    )
    result["register_completeness"] = Evidence(
        "register_completeness",
        str(EVIDENCE_KINDS["register_completeness"]),
        [
            Fact(_("Reports in the register"), leaks["reported"]),
            Fact(_("Complete (facts, effects, measures and decisions recorded)"), leaks["complete"]),
            Fact(_("Completeness"), percentage(leaks["complete"], leaks["reported"]), "%"),
            Fact(_("Data leaks (not counting reports that were none)"), real),
        ],
        [register],
    )
    trail = DataLeakEvent.objects.filter(
        leak__organisation_id=organisation_id, leak__created_at__gte=start, leak__created_at__lt=end
    ).aggregate(events=Count("id"), decisions=Count("id", filter=Q(kind=DataLeakEvent.Kind.DECISION)))
    attachments = DataLeakAttachment.objects.filter(
        leak__organisation_id=organisation_id, leak__created_at__gte=start, leak__created_at__lt=end
    ).count()
    accesses = DataLeakAccess.objects.filter(organisation_id=organisation_id, at__gte=start, at__lt=end).count()
    result["evidence_trail"] = Evidence(
        "evidence_trail",
        str(EVIDENCE_KINDS["evidence_trail"]),
        [
            Fact(_("Timeline entries"), trail["events"]),
            Fact(_("Decisions recorded with their reasoning"), trail["decisions"]),
            Fact(_("Attachments"), attachments),
            Fact(_("AP notifications with the AP's reference"), leaks["notified"]),
            Fact(_("Views and exports logged in the access log"), accesses),
        ],
        [register],
    )
    return result


def _feedback_evidence(period: _Period) -> dict[str, Evidence]:
    """Feedback on procedures (one query)."""
    organisation_id, year, day, start, end, now, in_year = period
    result: dict[str, Evidence] = {}
    feedback = Feedback.objects.filter(organisation_id=organisation_id, **in_year).aggregate(
        received=Count("id"),
        procedures=Count("id", filter=Q(category=Feedback.Category.PROCEDURE)),
        handled=Count("id", filter=Q(status__in=Feedback.HANDLED)),
        changed=Count("id", filter=Q(status=Feedback.Status.PROCEDURE_CHANGED)),
    )
    result["feedback"] = Evidence(
        "feedback",
        str(EVIDENCE_KINDS["feedback"]),
        [
            Fact(_("Feedback received"), feedback["received"]),
            Fact(_("About a procedure that does not work"), feedback["procedures"]),
            Fact(_("Handled"), feedback["handled"]),
            Fact(_("Procedures changed"), feedback["changed"]),
        ],
        [Link(_("Feedback"), "ambassadors:feedback_list")],
    )
    return result


class _Period(NamedTuple):
    """The programme year one kind of evidence is read for (``now`` is the year's end, or now within the year)."""

    organisation_id: int
    year: int
    day: datetime.date
    start: datetime.datetime
    end: datetime.datetime
    now: datetime.datetime
    in_year: dict[str, datetime.datetime]


# One function per kind of evidence (kinds that share their queries are read together), in the report's order.
EVIDENCE_READERS = (
    _training_evidence,
    _communication_evidence,
    _department_programme_evidence,
    _ambassador_evidence,
    _survey_evidence,
    _management_evidence,
    _roles_evidence,
    _data_leak_evidence,
    _feedback_evidence,
)


def evidence_for_year(organisation_id: int, year: int, *, today: datetime.date | None = None) -> dict[str, Evidence]:
    """Every built-in kind of evidence of the organisation's programme year, in a fixed number of queries."""
    today = today or timezone.localdate()
    start, end = _year_bounds(year)
    period = _Period(
        organisation_id=organisation_id,
        year=year,
        day=reference_day(year, today),
        start=start,
        end=end,
        now=min(timezone.now(), end),
        in_year={"created_at__gte": start, "created_at__lt": end},
    )
    result: dict[str, Evidence] = {}
    for read in EVIDENCE_READERS:
        result.update(read(period))
    return result


def _register_complete() -> Q:
    """A register entry is complete when it holds the facts, effects and remedial action art. 33(5) asks for.

    A report assessed as no data leak needs its reasoning; any other report its
    consequences, measures taken, severity and both decisions with the AP
    decision's reasoning (a notified report also the notification itself).
    """
    no_leak = Q(derived_state=LeakState.NO_LEAK) & ~Q(no_leak_reason="")
    leak = (
        ~Q(derived_state=LeakState.NO_LEAK)
        & ~Q(consequences="")
        & ~Q(measures_taken="")
        & ~Q(severity="")
        & ~Q(ap_decision="")
        & ~Q(ap_decision_reason="")
        & ~Q(subjects_decision="")
        & (~Q(ap_decision=APDecision.NOTIFY) | Q(is_notified=True))
    )
    return no_leak | leak


# --- The report ------------------------------------------------------------------------------------


@dataclass
class ControlEvidence:
    control: Control
    evidence: list[Evidence]
    explanation: ControlExplanation | None


@dataclass
class EvidenceReport:
    framework: ControlFramework
    year: int
    controls: list[ControlEvidence]


def evidence_report(
    framework: ControlFramework, organisation_id: int, year: int, *, today: datetime.date | None = None
) -> EvidenceReport:
    """The framework's controls, each with its evidence of the year and the officer's explanation."""
    figures = evidence_for_year(organisation_id, year, today=today)
    controls = list(framework.controls.order_by("order", "code"))
    explanations = {
        e.control_id: e
        for e in ControlExplanation.objects.filter(
            organisation_id=organisation_id, year=year, control__framework=framework
        ).select_related("updated_by")
    }
    return EvidenceReport(
        framework,
        year,
        [
            ControlEvidence(
                control,
                [figures[kind] for kind in control.evidence_kinds if kind in figures],
                explanations.get(control.pk),
            )
            for control in controls
        ],
    )


# --- Maturity ------------------------------------------------------------------------------------


def latest_assessment(
    organisation_id: int, *, before: MaturityAssessment | None = None, year: int | None = None
) -> MaturityAssessment | None:
    """The most recent assessment (of ``year`` or earlier, or the one before ``before``), with its answers.

    Two queries; the answers are prefetched in block order.
    """
    qs = MaturityAssessment.objects.filter(organisation_id=organisation_id).prefetch_related("answers")
    if year is not None:
        qs = qs.filter(year__lte=year)
    if before is not None:
        qs = qs.filter(Q(year__lt=before.year) | Q(year=before.year, round__lt=before.round))
    assessment = qs.order_by("-year", "-round").first()
    if assessment is not None:
        assessment.answer_by_block = {a.block: a for a in assessment.answers.all()}
    return assessment


def maturity_history(organisation_id: int) -> tuple[list[int], list[list[Any]]]:
    """Per building block the level of the latest assessment of each year: (years, rows). One query."""
    rows = (
        MaturityAnswer.objects.filter(assessment__organisation_id=organisation_id)
        .order_by("assessment__year", "assessment__round")
        .values_list("assessment__year", "block", "level")
    )
    levels: dict[tuple[int, int], int] = {}
    years: list[int] = []
    for year, block, level in rows:
        levels[(year, block)] = level  # a later round of the same year overrides the earlier one
        if year not in years:
            years.append(year)
    table = [[str(label), *[levels.get((year, block)) for year in years]] for block, label in BuildingBlock.choices]
    return years, table
