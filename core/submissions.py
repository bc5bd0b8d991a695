"""A double click stores once: every form that must store once carries a one-time token.

One mechanism, a database row under a unique constraint (``core.models.SubmissionToken``),
written in the same transaction as what the submission creates:

- In a service: ``obj, created = store_once(token, user=user, create=lambda: Model.objects.create(...))``.
  The first call runs ``create`` and links the token to the new object; a repeat
  (a double click, a reload of the POST, an API retry with the same key) gets the
  stored object back with ``created=False``. A concurrent repeat waits on the
  unique index until the first commits. A token that belongs to another user is
  never answered with their object: the submission is stored as new.
- In a view without a service that returns an object: decorate it with
  ``@once_per_submission`` and render ``{% submission_token %}`` (core_tags) in the
  form. The claim and the view run in one transaction, so a view that fails
  leaves the token unclaimed; a repeat is answered with a redirect and a message.
  A form shown again with errors gets a fresh token, so the user can correct and send it.

The cache plays no part: the protection holds with the cache down and across web servers.
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import SubmissionToken

FIELD = "submission_token"
T = TypeVar("T")


class AlreadySubmitted(Exception):
    """The token was claimed before by a submission that stored no object of its own."""


def _key(token: Any) -> str:
    """The stored key: a hash, since the token comes from the client (any characters, any length)."""
    text = str(token)
    with contextlib.suppress(ValueError):
        text = uuid.UUID(text).hex  # one key whatever the UUID's spelling
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _user_id(user) -> int | None:
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


def _insert(key: str, user_id: int | None) -> SubmissionToken | None:
    """The new token row, or None when the key exists (after waiting for a concurrent first submission)."""
    try:
        with transaction.atomic():
            return SubmissionToken.objects.create(key=key, user_id=user_id)
    except IntegrityError:
        return None


def store_once(token: Any, *, user, create: Callable[[], T]) -> tuple[T, bool]:
    """``create()`` once per token: ``(object, True)`` the first time, ``(stored object, False)`` after.

    Without a token ``create()`` simply runs. Raises ``AlreadySubmitted`` when the
    token was claimed by a view-level claim that stored no object.
    """
    if not token:
        return create(), True
    key = _key(token)
    user_id = _user_id(user)
    with transaction.atomic():
        row = _insert(key, user_id)
        if row is None:
            existing = SubmissionToken.objects.select_related("content_type").get(key=key)
            if existing.user_id != user_id:
                # Someone else's token: never reveal or reuse their submission.
                return create(), True
            stored = existing.stored_object
            if stored is None:
                raise AlreadySubmitted(key)
            return stored, False
        obj = create()
        row.content_type = ContentType.objects.get_for_model(obj)
        row.object_id = obj.pk
        row.save(update_fields=["content_type", "object_id"])
        return obj, True


def stored_for(token: Any, *, user) -> Any | None:
    """The object a previous submission with this token stored for ``user``, if any (a cheap pre-check)."""
    if not token:
        return None
    row = SubmissionToken.objects.select_related("content_type").filter(key=_key(token), user_id=_user_id(user)).first()
    return row.stored_object if row is not None else None


def claim(request: HttpRequest) -> bool:
    """True for the first POST with this token (or a POST without one), False for a repeat.

    Call it inside the transaction that does the work, so a failure releases the claim.
    """
    token = request.POST.get(FIELD, "")
    if not token:
        return True
    return _insert(_key(token), _user_id(getattr(request, "user", None))) is not None


def once_per_submission(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST" or not request.POST.get(FIELD):
            return view(request, *args, **kwargs)
        with transaction.atomic():
            if not claim(request):
                messages.info(request, _("This form was already sent; it has been stored once."))
                return HttpResponseRedirect(request.headers.get("referer") or request.path)
            return view(request, *args, **kwargs)

    return wrapped


def purge(*, now=None) -> int:
    """Delete tokens older than ``SUBMISSION_TOKEN_DAYS`` (a repeat after that long is a new submission)."""
    days = getattr(settings, "SUBMISSION_TOKEN_DAYS", 30)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _per_model = SubmissionToken.objects.filter(created_at__lt=cutoff).delete()
    return deleted
