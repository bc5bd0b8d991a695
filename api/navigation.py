from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import can_manage_api_tokens, can_view_api_docs
from core.navigation import NavItem


def nav_items(request: HttpRequest) -> list[NavItem]:
    items = []
    section = _("Organisation")
    if can_manage_api_tokens(request.user):
        items.append(NavItem(_("API tokens"), reverse("api_tokens:list"), "key", section, order=910))
    if can_view_api_docs(request.user):
        items.append(NavItem(_("API documentation"), reverse("api:docs"), "braces", section, order=911))
    return items
