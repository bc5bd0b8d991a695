"""The one way a page deletes a record: a confirmation page on GET, the deletion through the service on POST.

Each delete view fetches its object (404 for what the user may not know exists, 403 for a role that may not use the
page), asks its own rules, and hands the rest to ``confirm_delete``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def confirmation_page(
    request: HttpRequest,
    *,
    title: str,
    question: str,
    cancel_url: str,
    submit_label: str = "",
    refusal: str | None = None,
) -> HttpResponse:
    """The page that asks before an irreversible step; its form posts to the same URL. A ``refusal`` (why it cannot
    be done) replaces the button."""
    return render(
        request,
        "core/confirm_delete.html",
        {
            "title": title,
            "question": question,
            "cancel_url": cancel_url,
            "submit_label": submit_label,
            "refusal": refusal,
        },
    )


def confirm_delete(
    request: HttpRequest,
    *,
    delete: Callable[[], Any],
    done: str,
    next_url: str,
    title: str,
    question: str,
    cancel_url: str,
    submit_label: str = "",
    refusal: str | None = None,
) -> HttpResponse:
    """GET asks (``confirmation_page``); POST calls ``delete`` (a service), says ``done`` and goes to ``next_url``.
    A refusal known beforehand, or the service's ValidationError, is shown on the page instead of deleting."""
    if request.method == "POST" and refusal is None:
        try:
            delete()
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, done)
            return redirect(next_url)
    return confirmation_page(
        request,
        title=title,
        question=question,
        cancel_url=cancel_url,
        submit_label=submit_label,
        refusal=refusal,
    )
