"""Search, sort and paginate a list page from its query string (GET, so every view of a list is bookmarkable).

Usage in a view::

    from core.listing import paginate_listing

    listing = paginate_listing(
        request,
        Activity.objects.visible_to(request.user),
        search=["note", "topic__title"],  # ?q=: each word must occur in one of these (icontains)
        sorts={"datum": "date", "soort": "kind", "uren": "hours"},  # ?sort=datum / ?sort=-datum
        default="-datum",
    )
    return render(request, "...", {"listing": listing, "page": listing.page})

and in the template, for each sortable column::

    {% load core_tags %}
    {% sort_header listing "datum" _("Date") %}   {# the whole <th scope="col" aria-sort="..."> with its link #}

and ``{% include "partials/pagination.html" with page=listing.page %}`` below the table (the pagination keeps
every other parameter of the query string: filters survive paging). A search box is a plain GET form with an input
named ``q`` (``listing.q`` holds what was typed).

A list with filters of its own (a department, a type, "assigned to me") declares them once as a ``ListFilters``
form: its fields, its whitelisted ``sorts`` and ``default_sort``, and ``filter(queryset, data)``; the view passes
the bound form as ``paginate_listing(request, queryset, filters=form)`` (an invalid query string shows every row in
the default order). Every list pages through ``page_of``, also one whose rows are computed in Python.

Rules:
- ``sorts`` is the whitelist: an unknown ``sort`` falls back to ``default``, never reaches ``order_by``. Values are
  field paths (or expressions, e.g. ``Lower("title")``); empty values sort last either way; ``-pk`` breaks ties so
  pages never overlap. A NOT NULL column of the model sorts without ``NULLS LAST``, so an index on
  ``(..., -column, -id)`` serves the default order and a page reads its 50 rows instead of sorting them all.
- The search and the sort add no queries: the page runs the count and the page's rows (plus whatever the
  queryset itself prefetches).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import Combinable
from django.http import HttpRequest

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
PER_PAGE = 50


@dataclass(frozen=True)
class Listing:
    """What a list page needs: the page of rows, the search text and the current sort key (``"-datum"``)."""

    page: Page
    q: str
    sort: str
    sort_keys: tuple[str, ...]

    def state(self, key: str) -> str:
        """The ``aria-sort`` value of the column ``key``: ascending, descending or none."""
        if self.sort == key:
            return "ascending"
        if self.sort == f"-{key}":
            return "descending"
        return "none"


def search_filter(queryset: QuerySet, text: str, fields: Sequence[str]) -> QuerySet:
    """Rows in which every word of ``text`` occurs (case-insensitive) in at least one of ``fields``."""
    words = text.split()[:MAX_WORDS]
    if not words or not fields:
        return queryset
    condition = reduce(and_, (reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields)) for word in words))
    return queryset.filter(condition)


def sorted_by(queryset: QuerySet, sort: str, sorts: Mapping[str, Any]) -> QuerySet:
    """``queryset`` ordered by the whitelisted key ``sort`` (a leading ``-`` for descending), ties by ``-pk``."""
    key = sort.removeprefix("-")
    target = sorts[key]
    expression = F(target) if isinstance(target, str) else target
    if not isinstance(expression, Combinable) and not hasattr(expression, "asc"):
        raise TypeError(f"sort {key!r}: not a field name or an expression")
    if _never_null(queryset, target):
        # A column that cannot be empty sorts plainly: "NULLS LAST" would not match its index (PostgreSQL's
        # descending order puts NULLs first), and the page would sort every row instead of reading 50.
        ordering = expression.desc() if sort.startswith("-") else expression.asc()
    else:
        ordering = expression.desc(nulls_last=True) if sort.startswith("-") else expression.asc(nulls_last=True)
    return queryset.order_by(ordering, "-pk")


def _never_null(queryset: QuerySet, target: Any) -> bool:
    """Whether ``target`` names a column of the queryset's own table that is NOT NULL."""
    if not isinstance(target, str) or LOOKUP_SEP in target:
        return False
    try:
        field = queryset.model._meta.get_field(target)
    except FieldDoesNotExist:
        return False  # an annotation
    return bool(field.concrete and not field.null)


class ListFilters(forms.Form):
    """A list's filters and sort as one GET form (bound to ``request.GET or None``).

    Subclasses add their filter fields, name their sortable columns in ``sorts`` (key in the URL -> field path or
    expression; the whitelist) and ``default_sort``, and narrow the rows in ``filter``.
    """

    sorts: Mapping[str, Any] = {}
    default_sort = ""

    sort = forms.ChoiceField(required=False, choices=[("", "")], widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keys = list(self.sorts)
        self.fields["sort"].choices = [
            ("", ""),
            *((key, key) for key in keys),
            *((f"-{key}", f"-{key}") for key in keys),
        ]

    @property
    def current_sort(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_bound and self.is_valid() else "") or self.default_sort

    @property
    def q(self) -> str:
        """What was typed in the search box (``?q=``), searched whether or not the other filters are valid."""
        return str(self.data.get("q") or "").strip()[:MAX_QUERY_LENGTH] if self.is_bound else ""

    def filter(self, queryset: QuerySet, data: dict[str, Any]) -> QuerySet:
        """The rows that match the valid ``data`` (every row here; subclasses narrow)."""
        return queryset

    def apply(self, queryset: QuerySet) -> QuerySet:
        """The filtered rows in the whitelisted order (an invalid query string: every row, the default order)."""
        if self.is_valid():
            queryset = self.filter(queryset, self.cleaned_data)
        return sorted_by(queryset, self.current_sort, self.sorts)


def page_of(request: HttpRequest, rows: Any, per_page: int = PER_PAGE) -> Page:
    """The page ``?page=`` of ``rows`` (a queryset, counted and sliced in the database, or a list); a page number
    out of range gives the last page."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def paginate_listing(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    search: Sequence[str] = (),
    sorts: Mapping[str, Any] | None = None,
    default: str = "",
    filters: ListFilters | None = None,
    per_page: int = PER_PAGE,
) -> Listing:
    """Apply ``?q=`` (over ``search``), ``?sort=`` (one of ``sorts``, else ``default``) and ``?page=``; with
    ``filters``, its filters and sort instead, and its ``q`` field (if any) searched over ``search``."""
    if filters is not None:
        queryset = search_filter(filters.apply(queryset), filters.q, search)
        sort = filters.current_sort
        return Listing(
            page=page_of(request, queryset, per_page), q=filters.q, sort=sort, sort_keys=tuple(filters.sorts)
        )
    if sorts is None or default.removeprefix("-") not in sorts:
        raise ValueError(f"default sort {default!r} is not one of the sort keys")
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    sort = request.GET.get("sort", "")
    if sort.removeprefix("-") not in sorts:
        sort = default
    queryset = sorted_by(search_filter(queryset, q, search), sort, sorts)
    return Listing(page=page_of(request, queryset, per_page), q=q, sort=sort, sort_keys=tuple(sorts))
