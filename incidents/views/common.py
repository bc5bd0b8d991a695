"""Helpers shared by the incidents views: a report fetched with a 404 for what the user may not know exists, and
every read of it logged in that one fetch."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from accounts.permissions import (
    can_add_dataleak_information,
    can_correct_dataleak,
    can_handle_dataleak,
    can_view_dataleak_attachments,
    can_view_dataleak_identifiers,
    can_view_dataleak_reporter_contact,
)
from core import client_address
from incidents import services
from incidents.letters import privacy_contact
from incidents.models import (
    DataLeak,
    DataLeakAccess,
    DataLeakAttachment,
)

Action = DataLeakAccess.Action

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str | None:
    # Through the configured trusted proxies only: a forwarded header beyond them is the client's own.
    return client_address.client_ip(request) or None


def _log_register_read(request: HttpRequest, action: str, detail: str) -> None:
    """A read of the register (many reports at once): logged under the organisation, not under one report."""
    services.access_record(user=request.user, leak=None, action=action, detail=detail, ip=client_ip(request))


def _get_leak(
    request: HttpRequest,
    pk: int,
    *,
    handle: bool = False,
    correct: bool = False,
    read: str | None = None,
    action: str = Action.VIEW,
) -> DataLeak:
    """The report if the user may know it exists (404 otherwise); 403 when they may see but not handle it
    (or, with ``correct``, not correct it).

    Every read of a report is logged here, once: a GET with ``read`` (what is read; "" for the report itself) is
    recorded as ``action`` (viewed, exported). A POST is a write, which the service that makes it records.
    """
    leak = (
        DataLeak.objects.visible_to(request.user)
        .select_related("organisation", "department", "reported_by", "on_behalf_of", "assignee", "topic_suggestion")
        .filter(pk=pk)
        .first()
    )
    if leak is None:
        raise Http404
    if handle and not can_handle_dataleak(request.user, leak):
        raise PermissionDenied
    if correct and not can_correct_dataleak(request.user, leak):
        raise PermissionDenied
    if read is not None and request.method in ("GET", "HEAD"):
        services.access_record(user=request.user, leak=leak, action=action, detail=read, ip=client_ip(request))
    return leak


def _get_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> DataLeakAttachment:
    """An attachment of a report the user may see (404 otherwise) and whose attachments they may open (403
    otherwise), its download logged."""
    leak = _get_leak(request, pk)
    if not can_view_dataleak_attachments(request.user, leak):
        raise PermissionDenied
    item = DataLeakAttachment.objects.filter(leak=leak, pk=attachment_pk).first()
    if item is None:
        raise Http404
    services.access_record(
        user=request.user, leak=leak, action=Action.DOWNLOAD, detail=item.original_name, ip=client_ip(request)
    )
    return item


def _reporter_context(request: HttpRequest, leak: DataLeak) -> dict:
    """What every viewer of a report gets: the Privacy Officer's contact point, and whether they may see the
    reporter's contact details, citizens' identifiers (a BSN, masked for others) or add to the report."""
    return {
        "privacy": privacy_contact(leak.organisation),
        "show_contact": can_view_dataleak_reporter_contact(request.user, leak),
        "can_add": can_add_dataleak_information(request.user, leak),
        "reveal_identifiers": can_view_dataleak_identifiers(request.user, leak),
    }
