"""Access rules of the evaluation app (see accounts.permissions)."""

from __future__ import annotations

__all__: list[str] = []
