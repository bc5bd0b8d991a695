"""The built-in kinds of programme evidence: what the application can count for a control, per year.

A control (of the BIO2 or of an organisation's own norm) names the kinds that
serve as its evidence; :mod:`evaluation.evidence.selectors` computes them all
for a year in a fixed number of queries.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVIDENCE_KINDS: dict[str, str] = {
    "training_sessions": _("Training sessions held and their attendance"),
    "mandatory_training": _("Ambassadors' progress on the mandatory modules"),
    "topics_published": _("Topics of the annual plan published"),
    "department_programmes": _("Department year programmes agreed and carried out"),
    "mailings": _("Quarterly mailings sent and their reach"),
    "ambassador_coverage": _("Ambassadors per department and coverage"),
    "activities": _("Ambassador activities and colleagues reached"),
    "surveys": _("Awareness surveys"),
    "management": _("Management: goals, annual plan and hours confirmed by managers"),
    "roles": _("Officers and first points of contact"),
    "dataleaks_reported": _("Data leaks reported"),
    "dataleaks_decided": _("Data leaks assessed and decided"),
    "dataleaks_notified": _("Notifications to the AP and data subjects on time"),
    "lessons": _("Lessons learned turned into plan topics"),
    "feedback": _("Colleague feedback on procedures"),
    "evidence_trail": _("Timeline, attachments and audit trail of data leaks"),
    "register_completeness": _("Completeness of the data-leak register"),
}


def kind_choices() -> list[tuple[str, str]]:
    return list(EVIDENCE_KINDS.items())
