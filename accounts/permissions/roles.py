"""Roles, derived from data and cached on the user object for one request.

accounts is the bottom of the import chain, so the appointment model of the
ambassadors app is looked up through the app registry, never imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.apps import apps
from django.db.models import IntegerField, Value
from django.db.models.functions import Cast
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
    # One query for the three sources of roles (every page asks for them): officer rows ("o", kind, "", deputy),
    # departments managed directly ("d", name, path, id), departments of current appointments ("a", "", "", id).
    appointment_model = apps.get_model("ambassadors", "Appointment")
    officers = (
        Officer.objects.filter(user=user)
        .order_by()
        .values_list(Value("o"), "kind", Value(""), Cast("is_deputy", IntegerField()))
    )
    managed = (
        Department.objects.filter(managers=user, organisation_id=user.organisation_id, is_active=True)
        .order_by()
        .values_list(Value("d"), "name", "path", "id")
    )
    appointed = (
        appointment_model.objects.current(timezone.localdate())
        .filter(user=user, organisation_id=user.organisation_id)
        .order_by()
        .values_list(Value("a"), Value(""), Value(""), "departments__id")
    )
    rows = list(officers.union(managed, appointed, all=True))
    officer_rows = [(kind, bool(deputy)) for source, kind, _path, deputy in rows if source == "o"]
    direct = [ManagedDepartment(pk, name) for source, name, _path, pk in rows if source == "d"]
    paths = [Department(path=path) for source, _name, path, _pk in rows if source == "d"]
    managed_ids = (
        frozenset(
            Department.objects.filter(organisation_id=user.organisation_id)
            .subtree_of(paths)
            .values_list("id", flat=True)
        )
        if direct
        else frozenset()
    )
    ambassador_ids = frozenset(pk for source, _name, _path, pk in rows if source == "a") - {None}
    roles = Roles(
        officer_kinds=frozenset(kind for kind, _deputy in officer_rows),
        deputy_kinds=frozenset(kind for kind, deputy in officer_rows if deputy),
        directly_managed_ids=frozenset(d.pk for d in direct),
        directly_managed=tuple(sorted(direct, key=lambda d: d.name)),
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
