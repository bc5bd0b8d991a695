"""Navigation items and home-page panels that each app contributes.

Each app may have ``navigation.py`` with ``NAV_ITEMS`` (menu entries, each naming the predicate of
accounts.permissions that decides who sees it), ``nav_links(request)`` for entries that depend on data (one per
department a manager follows) and ``home_panels(request) -> list[Panel]``; config collects them, so the shell needs
no edit when an app adds a page, and no navigation module decides by role itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

Predicate = Callable[[Any], bool]


def everyone(user: Any) -> bool:
    """Every signed-in user (the menu is only built for them)."""
    return True


def unless(predicate: Predicate) -> Predicate:
    """The other entry of a pair, for those the first one is not shown to ("Surveys" or else "Survey results")."""
    return lambda user: not predicate(user)


@dataclass(frozen=True)
class NavItem:
    """A menu entry: shown when every predicate of ``when`` holds for the user, asked in order (a cheap gate first
    spares the later ones their queries); ``args`` gives the URL's arguments for the request."""

    label: str
    view: str
    icon: str = "circle"
    section: str = ""
    order: int = 100
    when: Predicate | tuple[Predicate, ...] = everyone
    args: Callable[[HttpRequest], Sequence[Any]] | None = None

    def shown_to(self, user: Any) -> bool:
        predicates = self.when if isinstance(self.when, tuple) else (self.when,)
        return all(predicate(user) for predicate in predicates)


@dataclass(frozen=True)
class MenuLink:
    """A menu entry resolved for one request: what the header shows."""

    label: str
    url: str
    icon: str = "circle"
    section: str = ""
    order: int = 100


def links(items: Iterable[NavItem], request: HttpRequest) -> list[MenuLink]:
    """The entries the request's user may see, with their URLs, in the request's language."""
    user = request.user
    return [
        MenuLink(
            str(item.label),
            reverse(item.view, args=item.args(request) if item.args else ()),
            item.icon,
            str(item.section),
            item.order,
        )
        for item in items
        if item.shown_to(user)
    ]


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
