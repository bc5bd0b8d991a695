"""The data-leak register (art. 33(5) GDPR, as the AP recommends): its rows, exports and the auditor's PDF."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.choices import choice_label
from incidents.models import DataLeak

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
    pgettext_lazy("register column", "Other supervisory authorities"),
    pgettext_lazy("register column", "Cross-border"),
    pgettext_lazy("register column", "DPO involved"),
    pgettext_lazy("register column", "Advice of the DPO"),
    pgettext_lazy("register column", "Decision on the AP"),
    pgettext_lazy("register column", "Reasoning on the AP"),
    pgettext_lazy("register column", "Notified to the AP on"),
    pgettext_lazy("register column", "AP reference"),
    pgettext_lazy("register column", "Hours until notification"),
    pgettext_lazy("register column", "Notified on time"),
    pgettext_lazy("register column", "Reason for the delay"),
    pgettext_lazy("register column", "Decision on the data subjects"),
    pgettext_lazy("register column", "Reasoning on the data subjects"),
    pgettext_lazy("register column", "Exemption art. 34(3)"),
    pgettext_lazy("register column", "Data subjects informed"),
    pgettext_lazy("register column", "Cause"),
    pgettext_lazy("register column", "Lesson"),
    pgettext_lazy("register column", "Closed on"),
]


def _hours(leak: DataLeak) -> float | None:
    if leak.first_notified_at is None:
        return None
    return round((leak.first_notified_at - leak.aware_at).total_seconds() / 3600, 1)


def _label(leak: DataLeak, field: str) -> str:
    """The choice's label in the active language (``core.choices``: get_FOO_display() translates every label on
    each call, which dominated a 10,000-row export); empty when the field is."""
    return choice_label(leak, field) if getattr(leak, field) else ""


def register_row(leak: DataLeak) -> list:
    """One row of the export; booleans stay booleans (the export writes yes or no in the reader's language)."""
    low = leak.persons_exact if leak.persons_exact is not None else leak.persons_min
    high = leak.persons_exact if leak.persons_exact is not None else leak.persons_max
    return [
        leak.reference,
        leak.created_at,
        leak.aware_at,
        leak.aware_reason,
        leak.department.name,
        _label(leak, "category"),
        _label(leak, "status"),
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
        _label(leak, "encrypted"),
        leak.consequences,
        leak.consequences_organisation,
        _label(leak, "severity"),
        leak.severity_explanation,
        leak.measures_taken,
        leak.measures_preventive,
        leak.measures_planned,
        leak.processors_involved,
        leak.other_supervisors,
        leak.cross_border,
        _label(leak, "dpo_involved"),
        leak.dpo_advice,
        _label(leak, "ap_decision"),
        leak.ap_decision_reason,
        leak.first_notified_at,
        leak.first_ap_reference or "",
        _hours(leak),
        leak.on_time,
        leak.late_reason,
        _label(leak, "subjects_decision"),
        leak.subjects_decision_reason,
        _label(leak, "subjects_exemption"),
        leak.subjects_informed,
        leak.cause,
        leak.lesson,
        leak.closed_at,
    ]


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
