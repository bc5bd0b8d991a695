"""Access rules of the department year programme and good practices (see accounts.permissions).

The department's ambassador drafts and keeps its programme; a CISO or ISO agrees it or sends it back; the
department's managers read it; officers read every department's. Good practices are shared between the
ambassadors of one organisation; officers read them and feature one. Nothing crosses organisations.
"""

from __future__ import annotations

from typing import Any

from accounts.models import Officer

from .ambassadors import covered_department_ids
from .roles import get_roles, same_organisation

__all__ = [
    "can_agree_department_programme",
    "can_change_department_programme",
    "can_draft_department_programme",
    "can_feature_good_practice",
    "can_feature_good_practices",
    "can_share_good_practice",
    "can_view_department_programme",
    "can_view_department_programmes",
    "can_view_good_practices",
    "can_view_programme_overview",
    "department_programme_scope",
    "draftable_department_ids",
]


def can_view_department_programmes(user: Any) -> bool:
    """The list of programmes: ambassadors, managers and officers."""
    roles = get_roles(user)
    return roles.is_officer or roles.is_manager or roles.is_ambassador


def department_programme_scope(user: Any) -> frozenset[int] | None:
    """Departments whose programmes the user reads: None (all) for officers, else covered and managed ones."""
    roles = get_roles(user)
    if roles.is_officer:
        return None
    return frozenset(covered_department_ids(user)) | roles.managed_ids


def can_view_department_programme(user: Any, programme: Any) -> bool:
    if not same_organisation(user, programme):
        return False
    scope = department_programme_scope(user)
    return scope is None or programme.department_id in scope


def draftable_department_ids(user: Any) -> frozenset[int]:
    """The departments an ambassador is appointed to: each has one programme a year, drafted by them."""
    return get_roles(user).ambassador_ids


def can_draft_department_programme(user: Any, department: Any) -> bool:
    return same_organisation(user, department) and department.pk in draftable_department_ids(user)


def can_change_department_programme(user: Any, programme: Any) -> bool:
    """Whoever records it: the ambassadors of the department (items, moves and drops, submitting)."""
    return same_organisation(user, programme) and programme.department_id in draftable_department_ids(user)


def can_agree_department_programme(user: Any, programme: Any) -> bool:
    """A CISO or ISO (not the Privacy Officer) agrees a submitted programme or sends it back."""
    if not same_organisation(user, programme):
        return False
    kinds = get_roles(user).officer_kinds
    return bool(kinds & {Officer.Kind.CISO, Officer.Kind.ISO}) and programme.status == "submitted"


def can_view_programme_overview(user: Any) -> bool:
    """Every department's programme at a glance, and the topics nobody picked up: officers."""
    return get_roles(user).is_officer


def can_view_good_practices(user: Any) -> bool:
    roles = get_roles(user)
    return roles.is_ambassador or roles.is_officer


def can_share_good_practice(user: Any) -> bool:
    return get_roles(user).is_ambassador


def can_feature_good_practice(user: Any, practice: Any) -> bool:
    return same_organisation(user, practice) and get_roles(user).is_officer


def can_feature_good_practices(user: Any) -> bool:
    """Whether the list offers the officer's "feature" button."""
    return get_roles(user).is_officer
