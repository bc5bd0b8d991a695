"""Access rules of the programme app (see accounts.permissions)."""

from __future__ import annotations

__all__: list[str] = []
