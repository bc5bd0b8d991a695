"""Figures computed the same way on every page, dashboard, report and export."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

HUNDRED = Decimal("100")


def percentage(part: Any, whole: Any) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to one decimal, rounded half up; None when there is no whole (no
    percentage of nothing), and a missing part counts as none."""
    if not whole:
        return None
    return (Decimal(part or 0) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
