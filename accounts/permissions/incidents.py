"""Access rules of the incidents app (see accounts.permissions).

A data-leak report is need-to-know:

- every employee reports, and sees their own reports (also those an
  ambassador filed on their behalf) with their status;
- an ambassador sees the reports they filed and the reports of the
  departments they cover (subdepartments included): they are the first point
  of contact and are alerted about them. They see the facts of the intake and
  the status, not the officer's assessment, decisions or access log. The
  reporter's name, e-mail and phone only when they filed the report on the
  reporter's behalf or the Privacy Officer involved them in that report;
- the reporter (and the colleague an ambassador reported for) may add
  information and attachments to their own report after sending it, and so
  may an ambassador of the report's department, as first point of contact;
- a number in the report's free text that passes the BSN eleven-test is
  shown to the handlers only (masked for everyone else, incidents/bsn.py);
  attachments are listed and downloaded by the handlers and the ambassadors
  the Privacy Officer involved in the report;
- corrections of recorded steps and reopening a closed report are for
  Privacy Officers (deputies included);
- Privacy Officers (deputies included) and the CISO see and handle every
  report of their organisation;
- managers see counts per type and quarter of the departments they manage,
  never contents.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import QuerySet

from accounts.models import Department, Officer, User

from .roles import get_roles, same_organisation

__all__ = [
    "can_add_dataleak_information",
    "can_view_dataleak_attachments",
    "can_view_dataleak_identifiers",
    "can_report_dataleak_on_behalf",
    "can_view_department_dataleaks",
    "dataleak_first_contact_departments",
    "dataleak_statistics_department_ids",
    "dataleak_statistics_scope",
    "can_correct_dataleak",
    "can_handle_dataleak",
    "can_handle_dataleaks",
    "can_report_dataleak",
    "can_view_dataleak",
    "can_view_dataleak_reporter_contact",
    "can_view_dataleak_statistics",
    "data_leak_handlers",
]


def can_report_dataleak(user: Any) -> bool:
    """Every active employee of an organisation."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.organisation_id)


def can_report_dataleak_on_behalf(user: Any) -> bool:
    """Ambassadors (for the colleagues of their departments) and handlers file a report for someone else."""
    return get_roles(user).is_ambassador or can_handle_dataleaks(user)


def can_view_department_dataleaks(user: Any) -> bool:
    """Whether "my reports" also lists the reports of the departments the user covers as an ambassador.

    Handlers see every report in the queue and the register instead.
    """
    return get_roles(user).is_ambassador and not can_handle_dataleaks(user)


def dataleak_first_contact_departments(user: Any) -> QuerySet[Department]:
    """The departments whose reports the user follows as first point of contact (their subdepartments too)."""
    return Department.objects.filter(pk__in=get_roles(user).ambassador_ids).order_by("name")


def dataleak_statistics_scope(user: Any) -> Collection[int] | None:
    """None for the whole organisation (handlers); otherwise the department ids the user manages."""
    if can_handle_dataleaks(user):
        return None
    return get_roles(user).managed_ids


def dataleak_statistics_department_ids(user: Any) -> Collection[int]:
    """The departments the statistics page names as "yours": those the user manages directly."""
    return get_roles(user).directly_managed_ids


def can_handle_dataleaks(user: Any) -> bool:
    """Privacy Officers (and their deputies) and the CISO handle reports, see the queue and the register."""
    roles = get_roles(user)
    return roles.is_privacy_officer or roles.is_ciso


def data_leak_handlers(organisation_id: int, *, privacy_officers_only: bool = False) -> QuerySet[User]:
    """The active users of the organisation for whom ``can_handle_dataleaks`` holds, by name: Privacy Officers
    (deputies included) and the CISO; with ``privacy_officers_only`` the Privacy Officers alone (who are alerted
    first; the CISO joins when a deadline comes close)."""
    kinds = [Officer.Kind.PRIVACY_OFFICER] + ([] if privacy_officers_only else [Officer.Kind.CISO])
    return (
        User.objects.filter(organisation_id=organisation_id, is_active=True, officer_roles__kind__in=kinds)
        .distinct()
        .order_by("full_name")
    )


def can_handle_dataleak(user: Any, leak: Any) -> bool:
    return same_organisation(user, leak) and can_handle_dataleaks(user)


def can_view_dataleak(user: Any, leak: Any) -> bool:
    if not same_organisation(user, leak):
        return False
    if can_handle_dataleaks(user):
        return True
    if user.pk in (leak.reported_by_id, leak.on_behalf_of_id):
        return True
    return _covers_department(user, leak)


def _covers_department(user: Any, leak: Any) -> bool:
    """Whether the user is an ambassador of the report's department (or of a department above it)."""
    roles = get_roles(user)
    if roles.ambassador_ids and leak.department_id:
        covered_paths = _covered_paths(user, roles.ambassador_ids)
        return any(leak.department.path.startswith(path) for path in covered_paths)
    return False


def _involved(user: Any, leak: Any) -> bool:
    """Whether the Privacy Officer involved this (current) ambassador in the report."""
    if not get_roles(user).ambassador_ids:
        return False
    prefetched = getattr(leak, "_prefetched_objects_cache", {}).get("involved_ambassadors")
    if prefetched is not None:
        return any(member.pk == user.pk for member in prefetched)
    return leak.involved_ambassadors.filter(pk=user.pk).exists()


def can_view_dataleak_reporter_contact(user: Any, leak: Any) -> bool:
    """The reporter's name, e-mail and phone: need-to-know.

    Handlers and the reporters themselves see them; an ambassador only when
    they filed the report on the reporter's behalf or the Privacy Officer
    involved them in this report.
    """
    if not same_organisation(user, leak):
        return False
    if can_handle_dataleaks(user) or user.pk in (leak.reported_by_id, leak.on_behalf_of_id):
        return True
    return _involved(user, leak)


def can_view_dataleak_identifiers(user: Any, leak: Any) -> bool:
    """Citizens' identifiers in the free text (a BSN): the handlers see them, marked; everyone else masked."""
    return can_handle_dataleak(user, leak)


def can_view_dataleak_attachments(user: Any, leak: Any) -> bool:
    """The attachments (list and download): the handlers and the ambassadors the Privacy Officer involved.

    Not the reporter or an ambassador who was alerted: a screenshot or a letter
    is full of the citizens' details the first point of contact does not need.
    """
    return same_organisation(user, leak) and (can_handle_dataleaks(user) or _involved(user, leak))


def can_add_dataleak_information(user: Any, leak: Any) -> bool:
    """The reporter adds to their own report after sending it, and an ambassador of its department (the first
    point of contact) adds what they learn; not after the details were erased."""
    if not same_organisation(user, leak) or leak.details_erased_at is not None:
        return False
    return user.pk in (leak.reported_by_id, leak.on_behalf_of_id) or _covers_department(user, leak)


def can_correct_dataleak(user: Any, leak: Any) -> bool:
    """Corrections of recorded steps and reopening: the Privacy Officer (deputies included)."""
    return same_organisation(user, leak) and get_roles(user).is_privacy_officer


def can_view_dataleak_statistics(user: Any) -> bool:
    """Managers (counts of their departments) and handlers (all)."""
    roles = get_roles(user)
    return roles.is_manager or can_handle_dataleaks(user)


def _covered_paths(user: Any, department_ids: frozenset[int]) -> list[str]:
    cache_attr = "_dataleak_covered_paths"
    paths = getattr(user, cache_attr, None)
    if paths is None:
        paths = list(Department.objects.filter(pk__in=department_ids).values_list("path", flat=True))
        setattr(user, cache_attr, paths)
    return paths
