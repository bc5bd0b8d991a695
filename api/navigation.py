from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.permissions import can_manage_api_tokens, can_view_api_docs
from core.navigation import NavItem

SECTION = _("Organisation")
NAV_ITEMS = [
    NavItem(_("API tokens"), "api_tokens:list", "key", SECTION, 910, can_manage_api_tokens),
    NavItem(_("API documentation"), "api:docs", "braces", SECTION, 911, can_view_api_docs),
]
