"""Writes about people and organisations: invitations, onboarding, settings, officer roles."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import ORGANISATION_SETTINGS, SECRET_SETTINGS, Department, Officer, Organisation, User
from accounts.permissions.roles import forget_roles
from core import audit, outbox
from core.masking import mask_url
from core.models import AuditEntry


def invitation_url(user: User) -> str:
    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def user_invite(*, organisation: Organisation, invited_by: User, form_data: dict) -> User:
    """Create the account without a password and mail a link to choose one."""
    user = User.objects.create_user(
        email=form_data["email"],
        full_name=form_data["full_name"],
        organisation=organisation,
        department=form_data["department"],
        job_title=form_data.get("job_title", ""),
        language=form_data.get("language") or User.Language.DUTCH,
    )
    outbox.enqueue(
        "accounts.tasks.send_invitation",
        key=f"invitation:{user.pk}",
        user_id=user.pk,
        invited_by_id=invited_by.pk,
    )
    return user


# --- Organisations: onboarding, settings, officers ----------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "gemeente"
    slug, number = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def new_organisation_errors(*, name: str, ciso_email: str) -> dict[str, str]:
    """What stands in the way of a new organisation with this name and first CISO; empty when nothing."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Enter the organisation's name.")
    elif Organisation.objects.filter(name__iexact=name.strip()).exists():
        errors["name"] = _("There is already an organisation with this name.")
    try:
        validate_email(ciso_email)
    except ValidationError:
        errors["ciso_email"] = _("Enter a valid e-mail address.")
    else:
        if User.objects.filter(email__iexact=ciso_email.strip()).exists():
            errors["ciso_email"] = _("There is already an account with this e-mail address.")
    return errors


def _record_officer_change(officer: Officer, verb: str, *, actor: User | None, request: HttpRequest | None) -> None:
    deputy = " (deputy)" if officer.is_deputy else ""
    audit.record(
        "role_change",
        request=request,
        actor=actor,
        object_type="accounts.user",
        object_id=str(officer.user_id),
        detail=f"officer {officer.kind}{deputy} {verb}",
    )


@transaction.atomic
def organisation_create(
    *,
    name: str,
    ciso_email: str,
    ciso_name: str = "",
    invited_by: User | None = None,
    request: HttpRequest | None = None,
) -> tuple[Organisation, User]:
    """A new organisation and its first CISO, who is invited to choose a password and set up the second factor.

    Raises ValidationError (per field) when the name or the e-mail address is taken.
    """
    errors = new_organisation_errors(name=name, ciso_email=ciso_email)
    if errors:
        raise ValidationError(errors)
    organisation = Organisation.objects.create(name=name.strip(), slug=_unique_slug(name))
    ciso = User.objects.create_user(
        email=ciso_email.strip(), full_name=ciso_name.strip(), organisation=organisation, department=None
    )
    officer = Officer(user=ciso, kind=Officer.Kind.CISO)
    officer.save()
    audit.record(
        "organisation_created",
        request=request,
        actor=invited_by,
        obj=organisation,
        detail=f"organisation {organisation.slug} created",
    )
    _record_officer_change(officer, "added", actor=invited_by, request=request)
    outbox.enqueue(
        "accounts.tasks.send_invitation",
        key=f"invitation:{ciso.pk}",
        user_id=ciso.pk,
        invited_by_id=invited_by.pk if invited_by is not None else None,
    )
    return organisation, ciso


@transaction.atomic
def organisation_update_settings(
    *, organisation: Organisation, actor: User, changes: dict[str, Any], request: HttpRequest | None = None
) -> list[str]:
    """Apply the changed settings; each change is an audit entry, a secret's value masked. Returns the fields changed.

    ``changes`` holds only settings the caller means to set (a secret left out is kept as it is).
    """
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed: list[str] = []
    old_logo = current.logo.name if current.logo else ""
    for field in ORGANISATION_SETTINGS:
        if field not in changes:
            continue
        value = changes[field]
        if field == "logo":
            if value is False:  # cleared
                if not old_logo:
                    continue
                current.logo = None
            elif value:
                current.logo = value
            else:
                continue
            changed.append(field)
            continue
        if value is None and field != "dataleak_retention_days":
            value = ""
        if getattr(current, field) != value:
            setattr(current, field, value)
            changed.append(field)
    if not changed:
        return []
    current.full_clean()
    current.save()
    if "logo" in changed and old_logo:
        current.logo.storage.delete(old_logo)
    for field in changed:
        shown = mask_url(getattr(current, field)) if field in SECRET_SETTINGS else ""
        audit.record(
            "organisation_settings_changed",
            request=request,
            actor=actor,
            obj=current,
            detail=f"{field}: {shown or '(removed)'}" if field in SECRET_SETTINGS else field,
        )
    for field in changed:
        setattr(organisation, field, getattr(current, field))
    return changed


@transaction.atomic
def officer_appoint(
    *,
    organisation: Organisation,
    actor: User,
    user: User,
    kind: str,
    is_deputy: bool = False,
    request: HttpRequest | None = None,
) -> tuple[Officer, bool]:
    """Give ``user`` the officer role ``kind`` (or change whether they are a deputy). Returns (officer, created).

    The new officer sets up their second factor before they reach any page (RequireMFAMiddleware).
    """
    if user.organisation_id != organisation.pk or not user.is_active:
        raise ValidationError(
            {"email": _("There is no active employee with this e-mail address in your organisation.")}
        )
    officer = Officer.objects.select_for_update().filter(user=user, kind=kind).first()
    if officer is not None:
        if officer.is_deputy == is_deputy:
            raise ValidationError({"kind": _("This employee already holds this role.")})
        officer.is_deputy = is_deputy
        officer.save(update_fields=["is_deputy"])
        _record_officer_change(officer, "changed", actor=actor, request=request)
        forget_roles(user)
        return officer, False
    officer = Officer(user=user, kind=kind, is_deputy=is_deputy)
    officer.save()
    _record_officer_change(officer, "added", actor=actor, request=request)
    forget_roles(user)
    return officer, True


def officer_end(*, officer: Officer, actor: User, request: HttpRequest | None = None) -> None:
    """End an officer role. The organisation always keeps a CISO: the last one cannot end their own role."""
    try:
        _officer_end(officer=officer, actor=actor, request=request)
    except ValidationError:
        # Recorded after the rollback, so the refusal stays in the trail.
        audit.record(
            "role_change",
            request=request,
            actor=actor,
            object_type="accounts.user",
            object_id=str(officer.user_id),
            result=AuditEntry.Result.DENIED,
            detail="officer ciso removal refused: last CISO",
        )
        raise
    forget_roles(officer.user)
    forget_roles(actor)


@transaction.atomic
def _officer_end(*, officer: Officer, actor: User, request: HttpRequest | None) -> None:
    if officer.kind == Officer.Kind.CISO:
        # Lock the organisation's CISO rows: two CISOs ending each other's role at once cannot leave none.
        cisos = list(
            Officer.objects.select_for_update()
            .filter(kind=Officer.Kind.CISO, user__organisation_id=officer.user.organisation_id, user__is_active=True)
            .values_list("pk", flat=True)
        )
        if not set(cisos) - {officer.pk}:
            raise ValidationError(
                _("The organisation needs at least one CISO. Appoint another CISO first; then this role can be ended."),
                code="last_ciso",
            )
    officer.delete()
    _record_officer_change(officer, "removed", actor=actor, request=request)


@transaction.atomic
def department_correct(
    *,
    department: Department,
    actor: User,
    remove_managers: list[User],
    add_manager: User | None,
    webhook: str | None,
    request: HttpRequest | None = None,
) -> list[str]:
    """A CISO's correction of a department: its managers (normally from the HR import) and its Teams webhook.

    ``webhook``: None keeps it, "" removes it. Returns what changed, for the message.
    """
    changed: list[str] = []
    current = {manager.pk for manager in department.managers.all()}
    removed = [user for user in remove_managers if user.pk in current]
    added = [add_manager] if add_manager is not None and add_manager.pk not in current else []
    if removed:
        department.managers.remove(*removed)
    if added:
        department.managers.add(*added)
    for user, verb in [(user, "removed") for user in removed] + [(user, "added") for user in added]:
        audit.record(
            "role_change",
            request=request,
            actor=actor,
            object_type="accounts.user",
            object_id=str(user.pk),
            detail=f"manager of department {department.pk} {verb}",
        )
        forget_roles(user)
    if removed or added:
        changed.append("managers")
    if webhook is not None and webhook != department.teams_webhook_url:
        Department._meta.get_field("teams_webhook_url").clean(webhook, department)
        department.teams_webhook_url = webhook
        Department.objects.filter(pk=department.pk).update(teams_webhook_url=webhook)
        audit.record(
            "department_settings_changed",
            request=request,
            actor=actor,
            obj=department,
            detail=f"teams_webhook_url: {mask_url(webhook) or '(removed)'}",
        )
        changed.append("teams_webhook_url")
    return changed
