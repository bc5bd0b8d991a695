"""Collects the navigation and home panels that each app offers (see core.navigation)."""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

from django.conf import settings
from django.http import HttpRequest

from accounts.middleware import must_set_up_mfa
from core.navigation import MenuLink, Panel, links

PROJECT_APPS = ["accounts", "programme", "ambassadors", "training", "incidents", "evaluation", "api"]


@cache
def _modules() -> list[ModuleType]:
    modules = []
    for app in PROJECT_APPS:
        try:
            modules.append(importlib.import_module(f"{app}.navigation"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.navigation":
                raise
    return modules


def nav_items(request: HttpRequest) -> list[MenuLink]:
    """Every app's entries that the user may see: each declared item's predicate is asked here, once."""
    items: list[MenuLink] = []
    for module in _modules():
        items.extend(links(getattr(module, "NAV_ITEMS", ()), request))
        if hasattr(module, "nav_links"):
            items.extend(module.nav_links(request))
    return sorted(items, key=lambda item: item.order)


def home_panels(request: HttpRequest) -> list[Panel]:
    panels: list[Panel] = []
    for module in _modules():
        if hasattr(module, "home_panels"):
            panels.extend(module.home_panels(request))
    return sorted(panels, key=lambda panel: panel.order)


def grouped(items: list[MenuLink]) -> list[dict]:
    """Items without a section stand alone; items of one section share a dropdown."""
    menu: list[dict] = []
    sections: dict[str, dict] = {}
    for item in items:
        if not item.section:
            menu.append({"label": item.label, "url": item.url, "icon": item.icon, "children": []})
        elif item.section in sections:
            sections[item.section]["children"].append(item)
        else:
            sections[item.section] = {"label": item.section, "url": "", "icon": item.icon, "children": [item]}
            menu.append(sections[item.section])
    return menu


def navigation(request: HttpRequest) -> dict:
    """Context processor: the menu for the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "languages": settings.LANGUAGES}
    if must_set_up_mfa(request):
        # Until the second factor is set up only signing out and the language work: the menu shows nothing else.
        return {"menu": [], "languages": settings.LANGUAGES, "mfa_setup_pending": True}
    return {"menu": grouped(nav_items(request)), "languages": settings.LANGUAGES}
