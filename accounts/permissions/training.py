"""Access rules of the training app (see accounts.permissions).

accounts sits below training, so enrolments are looked up through the app
registry at call time, never imported.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.apps import apps

from .roles import get_roles

__all__ = [
    "can_cancel_training_session",
    "can_download_certificate",
    "can_manage_enrolments",
    "sees_all_training_sessions",
    "training_progress_scope",
    "can_enrol_in_session",
    "can_manage_training",
    "can_register_attendance",
    "can_send_training_reminders",
    "can_use_training",
    "has_own_training_progress",
    "can_view_module_materials",
    "can_view_training_progress",
    "can_view_training_session",
]


def _org_id(obj: Any) -> int | None:
    """The organisation of a module, a session (through its module) or an enrolment."""
    if hasattr(obj, "session"):
        obj = obj.session
    if hasattr(obj, "module"):
        obj = obj.module
    return getattr(obj, "organisation_id", None)


def _same_org(user: Any, obj: Any) -> bool:
    org_id = getattr(user, "organisation_id", None)
    return org_id is not None and _org_id(obj) == org_id


def can_use_training(user: Any) -> bool:
    """Every active employee of an organisation sees the training offer and their own trainings."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.organisation_id)


def has_own_training_progress(user: Any) -> bool:
    """Ambassadors follow their own progress on the year's mandatory modules."""
    return get_roles(user).is_ambassador


def can_manage_training(user: Any) -> bool:
    """Officers set up modules, sessions and materials, and see every enrolment."""
    return get_roles(user).is_officer


def can_view_training_progress(user: Any) -> bool:
    """Officers see every ambassador's progress; managers those of their departments (read only)."""
    roles = get_roles(user)
    return roles.is_officer or roles.is_manager


def can_send_training_reminders(user: Any) -> bool:
    return get_roles(user).is_officer


def sees_all_training_sessions(user: Any) -> bool:
    """Officers and ambassadors see (and may enrol in) every session of their organisation; other staff
    those opened to all staff, those they train and those they enrolled in."""
    roles = get_roles(user)
    return roles.is_officer or roles.is_ambassador


def training_progress_scope(user: Any) -> Collection[int] | None:
    """None for the whole organisation (officers); otherwise the department ids the user manages."""
    roles = get_roles(user)
    return None if roles.is_officer else sorted(roles.managed_ids)


def can_manage_enrolments(user: Any, session: Any) -> bool:
    """Officers enrol colleagues in a session and remove an enrolment."""
    return _same_org(user, session) and get_roles(user).is_officer


def can_cancel_training_session(user: Any, session: Any) -> bool:
    """Officers cancel a session (with a reason; the enrolled are told)."""
    return _same_org(user, session) and get_roles(user).is_officer


def can_view_training_session(user: Any, session: Any) -> bool:
    if not _same_org(user, session):
        return False
    if sees_all_training_sessions(user) or session.open_to_all_staff or session.trainer_id == user.pk:
        return True
    enrolment_model = apps.get_model("training", "Enrolment")
    return enrolment_model.objects.filter(session=session, user=user).exists()


def can_enrol_in_session(user: Any, session: Any) -> bool:
    """Ambassadors enrol in every session; other staff only in sessions opened to all staff."""
    if not _same_org(user, session):
        return False
    return session.open_to_all_staff or get_roles(user).is_ambassador


def can_register_attendance(user: Any, session: Any) -> bool:
    """The session's own trainer and the organisation's officers."""
    if not _same_org(user, session):
        return False
    return session.trainer_id == user.pk or get_roles(user).is_officer


def can_view_module_materials(user: Any, module: Any) -> bool:
    """Officers, trainers of the module and people enrolled in (or who attended) one of its sessions."""
    if not _same_org(user, module):
        return False
    if get_roles(user).is_officer:
        return True
    enrolment_model = apps.get_model("training", "Enrolment")
    session_model = apps.get_model("training", "TrainingSession")
    return (
        enrolment_model.objects.filter(session__module=module, user=user, status="enrolled").exists()
        or session_model.objects.filter(module=module, trainer=user).exists()
    )


def can_download_certificate(user: Any, enrolment: Any) -> bool:
    """The attendee and the organisation's officers, once attendance is registered."""
    if not _same_org(user, enrolment) or not enrolment.attended or enrolment.status != "enrolled":
        return False
    return enrolment.user_id == user.pk or get_roles(user).is_officer
