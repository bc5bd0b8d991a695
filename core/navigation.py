"""Navigation items and home-page panels that each app contributes.

Each app may have ``navigation.py`` with ``nav_items(request) -> list[NavItem]``
and ``home_panels(request) -> list[Panel]``; config collects them, so the shell
needs no edit when an app adds a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str = "circle"
    section: str = ""
    order: int = 100


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
