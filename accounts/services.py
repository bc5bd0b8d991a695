"""Writes about people: invitations."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import Organisation, User
from core import outbox


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
