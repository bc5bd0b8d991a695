"""The data-leak register (art. 33(5) GDPR, as the AP recommends): its rows, exports and the auditor's PDF."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from incidents.models import DataLeak, _data_kind_labels
from incidents.state import APStatus, LeakState

# The register's columns, in the reader's language (the export follows the request's language).
# Sources of the year's counts kept up to date elsewhere, registered by a higher app (the dashboards' rollup,
# evaluation/apps.py): each is called with (organisation id, year) and returns (counts as
# ``DataLeakQuerySet.yearly_counts`` gives them, the moment they were counted) or None when it has none.
yearly_count_sources: list[Callable[[int, int], tuple[dict, datetime.datetime] | None]] = []


def counted_yearly_counts(organisation_id: int, year: int) -> tuple[dict, datetime.datetime] | None:
    """The year's counts from the first registered source that has them, or None (count live)."""
    for source in yearly_count_sources:
        found = source(organisation_id, year)
        if found is not None:
            return found
    return None


REGISTER_HEADER = [
    pgettext_lazy("register column", "Reference"),
    pgettext_lazy("register column", "Reported on"),
    pgettext_lazy("register column", "Aware since"),
    pgettext_lazy("register column", "Reason for later awareness"),
    pgettext_lazy("register column", "Department"),
    pgettext_lazy("register column", "Type"),
    pgettext_lazy("register column", "Status"),
    pgettext_lazy("register column", "Handler"),
    pgettext_lazy("register column", "Occurred on"),
    pgettext_lazy("register column", "Discovered on"),
    pgettext_lazy("register column", "End of the breach"),
    pgettext_lazy("register column", "Facts"),
    pgettext_lazy("register column", "Nature (C/I/A)"),
    pgettext_lazy("register column", "Kinds of personal data"),
    pgettext_lazy("register column", "Special categories of personal data"),
    pgettext_lazy("register column", "Number of data subjects (minimum)"),
    pgettext_lazy("register column", "Number of data subjects (maximum)"),
    pgettext_lazy("register column", "Number of records"),
    pgettext_lazy("register column", "Groups of data subjects"),
    pgettext_lazy("register column", "Encrypted"),
    pgettext_lazy("register column", "Consequences for the data subjects"),
    pgettext_lazy("register column", "Consequences for the organisation"),
    pgettext_lazy("register column", "Classification (severity)"),
    pgettext_lazy("register column", "Explanation of the severity"),
    pgettext_lazy("register column", "Corrective measures"),
    pgettext_lazy("register column", "Preventive measures"),
    pgettext_lazy("register column", "Planned measures"),
    pgettext_lazy("register column", "Processors and other organisations"),
    pgettext_lazy("register column", "Joint controllers (art. 26 GDPR)"),
    pgettext_lazy("register column", "Other supervisory authorities"),
    pgettext_lazy("register column", "Cross-border"),
    pgettext_lazy("register column", "DPO involved"),
    pgettext_lazy("register column", "Advice of the DPO"),
    pgettext_lazy("register column", "Decision on the AP"),
    pgettext_lazy("register column", "Reasoning on the AP"),
    pgettext_lazy("register column", "Another duty to notify"),
    pgettext_lazy("register column", "The other duty to notify: which, and to whom"),
    pgettext_lazy("register column", "Documents sent along to the AP"),
    pgettext_lazy("register column", "Notified to the AP on"),
    pgettext_lazy("register column", "Notification to the AP"),
    pgettext_lazy("register column", "AP reference"),
    pgettext_lazy("register column", "Hours until notification"),
    pgettext_lazy("register column", "Notified on time"),
    pgettext_lazy("register column", "Reason for the delay"),
    pgettext_lazy("register column", "Decision on the data subjects"),
    pgettext_lazy("register column", "Reasoning on the data subjects"),
    pgettext_lazy("register column", "Exemption art. 34(3)"),
    pgettext_lazy("register column", "Data subjects informed"),
    pgettext_lazy("register column", "Number of data subjects informed"),
    pgettext_lazy("register column", "Cause"),
    pgettext_lazy("register column", "Lesson"),
    pgettext_lazy("register column", "Closed on"),
]


# What a register row reads, in one query: the leak's own columns, the department's and handler's name by join,
# and the annotations of ``selectors.register_queryset`` (first notification, on time, informed).
REGISTER_VALUES = (
    "reference",
    "created_at",
    "aware_at",
    "aware_reason",
    "department__name",
    "category",
    "derived_state",
    "assignee__full_name",
    "occurred_at",
    "discovered_at",
    "breach_ended_at",
    "description",
    "breach_confidentiality",
    "breach_integrity",
    "breach_availability",
    "personal_data_categories",
    "data_kinds",
    "special_categories",
    "persons_exact",
    "persons_min",
    "persons_max",
    "records_count",
    "affected_groups",
    "encrypted",
    "consequences",
    "consequences_organisation",
    "severity",
    "severity_explanation",
    "measures_taken",
    "measures_preventive",
    "measures_planned",
    "processors_involved",
    "joint_controllers",
    "other_supervisors",
    "cross_border",
    "dpo_involved",
    "dpo_advice",
    "ap_decision",
    "ap_decision_reason",
    "other_notification_duty",
    "other_notification_duty_details",
    "documents_sent",
    "first_notified_at",
    "derived_ap_status",
    "first_ap_reference",
    "on_time",
    "late_reason",
    "subjects_decision",
    "subjects_decision_reason",
    "subjects_exemption",
    "subjects_informed",
    "informed_total",
    "cause",
    "lesson",
    "closed_at",
)
_LABELLED = (
    "category",
    "encrypted",
    "severity",
    "dpo_involved",
    "ap_decision",
    "other_notification_duty",
    "subjects_decision",
    "subjects_exemption",
)


def _labels(field: str) -> dict:
    """The field's choice labels in the active language, made once per export (``core.choices``)."""
    return {value: str(label) for value, label in DataLeak._meta.get_field(field).flatchoices}


def register_rows(leaks, *, chunk_size: int = 500) -> Iterator[list]:
    """The export's rows of ``leaks`` (``selectors.register_queryset``, filtered and sorted), in the active
    language: one query read through a server-side cursor as plain tuples, so neither the time per row nor the
    memory depends on model instances, and no row looks anything up. Booleans stay booleans (the export writes
    yes or no in the reader's language)."""
    category, encrypted, severity, dpo_involved, ap_decision, other_duty, subjects_decision, exemption = (
        _labels(field) for field in _LABELLED
    )
    # The derived state and the AP status (incidents.state), labelled in the active language.
    status = {value: str(label) for value, label in LeakState.choices}
    ap_status = {value: str(label) for value, label in APStatus.choices}
    kinds = {value: str(label) for value, label in _data_kind_labels().items()}
    confidentiality, integrity, availability = str(_("confidentiality")), str(_("integrity")), str(_("availability"))
    for (
        reference,
        created_at,
        aware_at,
        aware_reason,
        department,
        category_value,
        status_value,
        assignee,
        occurred_at,
        discovered_at,
        breach_ended_at,
        description,
        breach_c,
        breach_i,
        breach_a,
        personal_data_categories,
        data_kinds,
        special_categories,
        persons_exact,
        persons_min,
        persons_max,
        records_count,
        affected_groups,
        encrypted_value,
        consequences,
        consequences_organisation,
        severity_value,
        severity_explanation,
        measures_taken,
        measures_preventive,
        measures_planned,
        processors_involved,
        joint_controllers,
        other_supervisors,
        cross_border,
        dpo_involved_value,
        dpo_advice,
        ap_decision_value,
        ap_decision_reason,
        other_duty_value,
        other_duty_details,
        documents_sent,
        first_notified_at,
        ap_status_value,
        first_ap_reference,
        on_time,
        late_reason,
        subjects_decision_value,
        subjects_decision_reason,
        exemption_value,
        subjects_informed,
        informed_total,
        cause,
        lesson,
        closed_at,
    ) in leaks.values_list(*REGISTER_VALUES).iterator(chunk_size=chunk_size):
        nature = [
            word for word, on in ((confidentiality, breach_c), (integrity, breach_i), (availability, breach_a)) if on
        ]
        yield [
            reference,
            created_at,
            aware_at,
            aware_reason,
            department,
            _label(category, category_value),
            _label(status, status_value),
            assignee or "",
            occurred_at,
            discovered_at,
            breach_ended_at,
            description,
            ", ".join(nature),
            ", ".join(kinds.get(kind, kind) for kind in (personal_data_categories or data_kinds or ())),
            special_categories,
            persons_exact if persons_exact is not None else persons_min,
            persons_exact if persons_exact is not None else persons_max,
            records_count,
            affected_groups,
            _label(encrypted, encrypted_value),
            consequences,
            consequences_organisation,
            _label(severity, severity_value),
            severity_explanation,
            measures_taken,
            measures_preventive,
            measures_planned,
            processors_involved,
            joint_controllers,
            other_supervisors,
            cross_border,
            _label(dpo_involved, dpo_involved_value),
            dpo_advice,
            _label(ap_decision, ap_decision_value),
            ap_decision_reason,
            _label(other_duty, other_duty_value),
            other_duty_details,
            documents_sent,
            first_notified_at,
            _label(ap_status, ap_status_value) if first_notified_at else "",
            first_ap_reference or "",
            round((first_notified_at - aware_at).total_seconds() / 3600, 1) if first_notified_at else None,
            on_time,
            late_reason,
            _label(subjects_decision, subjects_decision_value),
            subjects_decision_reason,
            _label(exemption, exemption_value),
            subjects_informed,
            informed_total or 0,
            cause,
            lesson,
            closed_at,
        ]


def _label(labels: dict, value) -> str:
    """A choice's label (the value itself when it is no longer a choice); empty when the field is."""
    return labels.get(value, value) if value else ""


def register_pdf(leaks, *, year: int, organisation, counts: dict) -> bytes:
    """The register report for the auditor or ENSIA: the year's leaks with both decisions and the on-time check,
    and every department's counts. The register page's template (incidents/register_report.html extends it)."""
    from core.pdf import render_to_pdf

    rows = list(leaks)
    return render_to_pdf(
        "incidents/register_report.html",
        {
            "base_template": "pdf/base.html",
            "leaks": rows,
            "year": year,
            "organisation": organisation,
            "notified": sum(1 for leak in rows if leak.first_notified_at),
            "late": sum(1 for leak in rows if leak.on_time is False),
            "printed_at": timezone.now(),
            "counts": counts,
            # The page names the departments with the most reports; the report every one.
            "top_departments": sorted(
                counts["per_department"], key=lambda row: (-row["count"], row["department__name"])
            ),
        },
        title=_("Data-leak register %(year)s") % {"year": year},
        subject=_("The year's data leaks with the decisions on notifying the AP and the data subjects"),
        author=organisation.display_legal_name,
        organisation=organisation,
    )


def year_filter(year: int) -> Q:
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return Q(created_at__gte=start, created_at__lt=timezone.make_aware(datetime.datetime(year + 1, 1, 1)))
