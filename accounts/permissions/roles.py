"""Roles, derived from data and cached on the user object for one request.

accounts is the bottom of the import chain, so the appointment model of the
ambassadors app is looked up through the app registry, never imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.apps import apps
from django.utils import timezone

from accounts.models import Department, Officer

_CACHE_ATTR = "_ambassadeurs_roles"


class ManagedDepartment(NamedTuple):
    pk: int
    name: str


@dataclass(frozen=True)
class Roles:
    officer_kinds: frozenset[str] = field(default_factory=frozenset)
    deputy_kinds: frozenset[str] = field(default_factory=frozenset)
    directly_managed_ids: frozenset[int] = field(default_factory=frozenset)
    managed_ids: frozenset[int] = field(default_factory=frozenset)
    ambassador_ids: frozenset[int] = field(default_factory=frozenset)
    # The departments managed directly, by name: menus show them without another query.
    directly_managed: tuple[ManagedDepartment, ...] = ()

    @property
    def is_officer(self) -> bool:
        return bool(self.officer_kinds)

    @property
    def is_privacy_officer(self) -> bool:
        return Officer.Kind.PRIVACY_OFFICER in self.officer_kinds

    @property
    def is_ciso(self) -> bool:
        return Officer.Kind.CISO in self.officer_kinds

    @property
    def is_manager(self) -> bool:
        return bool(self.directly_managed_ids)

    @property
    def is_ambassador(self) -> bool:
        return bool(self.ambassador_ids)


NO_ROLES = Roles()


def get_roles(user: Any) -> Roles:
    """The user's roles, computed once per user object (that is, per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.organisation_id is None:
        return NO_ROLES
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    officer_rows = list(Officer.objects.filter(user=user).values_list("kind", "is_deputy"))
    direct = list(Department.objects.filter(managers=user, organisation_id=user.organisation_id, is_active=True))
    managed_ids = (
        frozenset(
            Department.objects.filter(organisation_id=user.organisation_id)
            .subtree_of(direct)
            .values_list("id", flat=True)
        )
        if direct
        else frozenset()
    )
    appointment_model = apps.get_model("ambassadors", "Appointment")
    ambassador_ids = frozenset(
        appointment_model.objects.current(timezone.localdate())
        .filter(user=user, organisation_id=user.organisation_id)
        .values_list("departments__id", flat=True)
    ) - {None}
    roles = Roles(
        officer_kinds=frozenset(kind for kind, _deputy in officer_rows),
        deputy_kinds=frozenset(kind for kind, deputy in officer_rows if deputy),
        directly_managed_ids=frozenset(d.pk for d in direct),
        directly_managed=tuple(sorted((ManagedDepartment(d.pk, d.name) for d in direct), key=lambda d: d.name)),
        managed_ids=managed_ids,
        ambassador_ids=ambassador_ids,
    )
    setattr(user, _CACHE_ATTR, roles)
    return roles


def forget_roles(user: Any) -> None:
    """Drop the cached roles, after a change that affects them."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_officer(user: Any) -> bool:
    return get_roles(user).is_officer


def is_privacy_officer(user: Any) -> bool:
    return get_roles(user).is_privacy_officer


def is_ciso(user: Any) -> bool:
    return get_roles(user).is_ciso


def is_manager(user: Any) -> bool:
    return get_roles(user).is_manager


def is_ambassador(user: Any) -> bool:
    return get_roles(user).is_ambassador


def requires_mfa(user: Any) -> bool:
    """Officers and managers must have a second factor before they reach any page."""
    roles = get_roles(user)
    return roles.is_officer or roles.is_manager or bool(getattr(user, "is_superuser", False))


def same_organisation(user: Any, obj: Any) -> bool:
    """Whether ``obj`` (anything with ``organisation_id``) belongs to the user's organisation."""
    org_id = getattr(user, "organisation_id", None)
    return org_id is not None and getattr(obj, "organisation_id", None) == org_id
