"""The data-leak register (art. 33(5) GDPR, as the AP recommends): its rows, exports and the auditor's PDF."""

from __future__ import annotations

import datetime
import io
from xml.sax.saxutils import escape

from django.db.models import BooleanField, Case, DateTimeField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import short_datetime
from incidents.models import DEADLINE, APNotification, DataLeak, SubjectNotification

REGISTER_HEADER = [
    "Referentie",
    "Gemeld op",
    "Bewust sinds",
    "Reden latere bewustwording",
    "Afdeling",
    "Soort",
    "Status",
    "Behandelaar",
    "Gebeurd op",
    "Ontdekt op",
    "Einde inbreuk",
    "Feiten",
    "Aard (B/I/B)",
    "Soorten persoonsgegevens",
    "Bijzondere persoonsgegevens",
    "Aantal betrokkenen (minimaal)",
    "Aantal betrokkenen (maximaal)",
    "Aantal records",
    "Groepen betrokkenen",
    "Versleuteld",
    "Gevolgen voor betrokkenen",
    "Gevolgen voor de organisatie",
    "Classificatie (ernst)",
    "Toelichting ernst",
    "Corrigerende maatregelen",
    "Preventieve maatregelen",
    "Geplande maatregelen",
    "Verwerkers en andere organisaties",
    "Andere toezichthouders",
    "Grensoverschrijdend",
    "FG betrokken",
    "Advies FG",
    "Besluit AP",
    "Motivering AP",
    "Gemeld aan AP op",
    "Kenmerk AP",
    "Uren tot melding",
    "Op tijd gemeld",
    "Reden vertraging",
    "Besluit betrokkenen",
    "Motivering betrokkenen",
    "Uitzondering art. 34 lid 3",
    "Betrokkenen geïnformeerd",
    "Oorzaak",
    "Les",
    "Afgesloten op",
]

# The columns the register's page shows (the export needs every column).
REGISTER_PAGE_FIELDS = (
    "reference",
    "number",
    "created_at",
    "aware_at",
    "department",
    "department__name",
    "category",
    "severity",
    "ap_decision",
    "status",
    "assignee",
    "assignee__full_name",
    "assignee__email",
)


def register_queryset(user):
    """The user's register rows with the first notification, the on-time check and "informed": subqueries
    per row, so a page costs one query whatever its size."""
    initial = APNotification.objects.filter(leak=OuterRef("pk"), kind=APNotification.Kind.INITIAL).order_by(
        "notified_at", "id"
    )
    return (
        DataLeak.objects.visible_to(user)
        .select_related("department", "assignee")
        .annotate(
            first_notified_at=Subquery(initial.values("notified_at")[:1], output_field=DateTimeField()),
            first_ap_reference=Subquery(initial.values("ap_reference")[:1]),
            subjects_informed=Exists(SubjectNotification.objects.filter(leak=OuterRef("pk"))),
        )
        .annotate(
            on_time=Case(
                When(first_notified_at__isnull=True, then=Value(None)),
                When(first_notified_at__lte=F("aware_at") + Value(DEADLINE), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(null=True),
            )
        )
    )


def _yes_no(value) -> str:
    return "" if value is None else ("ja" if value else "nee")


def _hours(leak: DataLeak) -> float | None:
    if leak.first_notified_at is None:
        return None
    return round((leak.first_notified_at - leak.aware_at).total_seconds() / 3600, 1)


def register_row(leak: DataLeak) -> list:
    low = leak.persons_exact if leak.persons_exact is not None else leak.persons_min
    high = leak.persons_exact if leak.persons_exact is not None else leak.persons_max
    return [
        leak.reference,
        leak.created_at,
        leak.aware_at,
        leak.aware_reason,
        leak.department.name,
        leak.get_category_display(),
        leak.get_status_display(),
        leak.assignee.full_name if leak.assignee else "",
        leak.occurred_at,
        leak.discovered_at,
        leak.breach_ended_at,
        leak.description,
        ", ".join(leak.breach_nature_display),
        ", ".join(leak.get_personal_data_categories_display() or leak.get_data_kinds_display()),
        leak.special_categories,
        low,
        high,
        leak.records_count,
        leak.affected_groups,
        leak.get_encrypted_display() if leak.encrypted else "",
        leak.consequences,
        leak.consequences_organisation,
        leak.get_severity_display() if leak.severity else "",
        leak.severity_explanation,
        leak.measures_taken,
        leak.measures_preventive,
        leak.measures_planned,
        leak.processors_involved,
        leak.other_supervisors,
        _yes_no(leak.cross_border),
        leak.get_dpo_involved_display() if leak.dpo_involved else "",
        leak.dpo_advice,
        leak.get_ap_decision_display() if leak.ap_decision else "",
        leak.ap_decision_reason,
        leak.first_notified_at,
        leak.first_ap_reference or "",
        _hours(leak),
        _yes_no(leak.on_time),
        leak.late_reason,
        leak.get_subjects_decision_display() if leak.subjects_decision else "",
        leak.subjects_decision_reason,
        leak.get_subjects_exemption_display() if leak.subjects_exemption else "",
        _yes_no(leak.subjects_informed),
        leak.cause,
        leak.lesson,
        leak.closed_at,
    ]


def _local(value) -> str:
    return short_datetime(value) if value else "–"


def register_pdf(leaks, *, year: int, organisation, counts: dict) -> bytes:
    """The register report for the auditor or ENSIA: the year's leaks with both decisions and the on-time check."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=_("Data-leak register %(year)s") % {"year": year},
        author=organisation.display_legal_name,
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)

    def p(text) -> Paragraph:
        return Paragraph(escape(str(text or "–")).replace("\n", "<br/>"), small)

    rows = list(leaks)
    notified = sum(1 for leak in rows if leak.first_notified_at)
    late = sum(1 for leak in rows if leak.on_time is False)
    story = [
        Paragraph(
            escape(
                _("Data-leak register %(year)s: %(organisation)s")
                % {"year": year, "organisation": organisation.display_legal_name}
            ),
            styles["Title"],
        ),
        Paragraph(
            escape(
                _("%(count)s data leaks, %(notified)s notified to the AP, %(late)s of them later than 72 hours.")
                % {"count": len(rows), "notified": notified, "late": late}
            ),
            styles["Normal"],
        ),
        Paragraph(
            escape(_("Printed on %(date)s.") % {"date": short_datetime(timezone.now())}),
            styles["Normal"],
        ),
        Spacer(1, 0.4 * cm),
    ]
    header = [
        _("Reference"),
        _("Aware since"),
        _("Department"),
        _("Type"),
        _("Severity"),
        _("FG involved"),
        _("Decision: notify the AP"),
        _("Notified to the AP"),
        _("On time"),
        _("Decision: inform the data subjects"),
        _("Status"),
    ]
    data = [[p(h) for h in header]]
    for leak in rows:
        ap = leak.get_ap_decision_display() if leak.ap_decision else _("Not decided yet")
        subjects = leak.get_subjects_decision_display() if leak.subjects_decision else _("Not decided yet")
        notified_text = (
            f"{_local(leak.first_notified_at)} ({leak.first_ap_reference})" if leak.first_notified_at else "–"
        )
        on_time = "–" if leak.on_time is None else (_("Yes") if leak.on_time else _("No"))
        data.append(
            [
                p(leak.reference),
                p(_local(leak.aware_at)),
                p(leak.department.name),
                p(leak.get_category_display()),
                p(leak.get_severity_display() if leak.severity else ""),
                p(leak.get_dpo_involved_display() if leak.dpo_involved else ""),
                p(f"{ap}: {leak.ap_decision_reason}" if leak.ap_decision_reason else ap),
                p(notified_text),
                p(on_time),
                p(f"{subjects}: {leak.subjects_decision_reason}" if leak.subjects_decision_reason else subjects),
                p(leak.get_status_display()),
            ]
        )
    widths = [2.2, 2.3, 2.6, 2.8, 1.8, 1.8, 4.4, 2.8, 1.3, 4.4, 2.0]
    table = LongTable(data, colWidths=[w * cm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 0.5 * cm))
    story.append(Paragraph(escape(_("Per type")), styles["Heading3"]))
    for row in counts["per_type"]:
        story.append(
            Paragraph(escape(f"{row['label']}: {row['count']} ({_('notified')}: {row['notified']})"), styles["Normal"])
        )
    story.append(Paragraph(escape(_("Per department")), styles["Heading3"]))
    for row in counts["per_department"]:
        story.append(
            Paragraph(
                escape(f"{row['department__name']}: {row['count']} ({_('notified')}: {row['notified']})"),
                styles["Normal"],
            )
        )
    document.build(story)
    return buffer.getvalue()


def year_filter(year: int) -> Q:
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return Q(created_at__gte=start, created_at__lt=timezone.make_aware(datetime.datetime(year + 1, 1, 1)))
