"""Search, whitelisted sort and pagination of the survey list from its query string."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8


@dataclass(frozen=True)
class Listing:
    page: Page
    q: str
    sort: str

    def state(self, key: str) -> str:
        """The ``aria-sort`` value of the column ``key``."""
        if self.sort == key:
            return "ascending"
        if self.sort == f"-{key}":
            return "descending"
        return "none"


def paginate_listing(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    search: Sequence[str] = (),
    sorts: Mapping[str, Any],
    default: str,
    per_page: int = 50,
) -> Listing:
    """``?q=``: every word in one of ``search``; ``?sort=``: one of ``sorts`` (else ``default``), ties by ``-pk``."""
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    words = q.split()[:MAX_WORDS]
    if words and search:
        queryset = queryset.filter(
            reduce(and_, (reduce(or_, (Q(**{f"{name}__icontains": word}) for name in search)) for word in words))
        )
    sort = request.GET.get("sort", "")
    if sort.removeprefix("-") not in sorts:
        sort = default
    target = sorts[sort.removeprefix("-")]
    expression = F(target) if isinstance(target, str) else target
    ordering = expression.desc(nulls_last=True) if sort.startswith("-") else expression.asc(nulls_last=True)
    page = Paginator(queryset.order_by(ordering, "-pk"), per_page).get_page(request.GET.get("page"))
    return Listing(page=page, q=q, sort=sort)
