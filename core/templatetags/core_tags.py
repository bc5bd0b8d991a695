from __future__ import annotations

from django import template
from django.utils.html import format_html

from core.choices import choice_label
from core.submissions import FIELD

register = template.Library()


@register.filter
def choice(obj, field_name: str):
    """``{{ leak|choice:"status" }}``: the label of a choice field, as ``get_status_display``, also for rows read as values."""
    return choice_label(obj, field_name)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination and filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag
def submission_token() -> str:
    """A hidden one-time token for ``core.submissions.once_per_submission``."""
    import uuid

    from django.utils.html import format_html

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)


_SORT_CARETS = {"ascending": "bi-caret-up-fill", "descending": "bi-caret-down-fill"}


@register.simple_tag(takes_context=True)
def sort_header(context, listing, key: str, label: str) -> str:
    """A ``<th>`` that sorts by ``key``, the other way round when the list already is; ``listing`` is a
    ``core.listing.Listing`` or the current sort key itself (a list filtered by a form of its own).

    The link keeps every other parameter of the query string (search, filters) and goes back to the first page.
    """
    current = listing if isinstance(listing, str) else listing.sort
    query = context["request"].GET.copy()
    query.pop("page", None)
    query["sort"] = f"-{key}" if current == key else key
    state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
    link = format_html('<a href="{}">{}</a>', "?" + query.urlencode(), label)
    if state in _SORT_CARETS:
        link = format_html('{} <i class="bi {}" aria-hidden="true"></i>', link, _SORT_CARETS[state])
    return format_html('<th scope="col" aria-sort="{}">{}</th>', state, link)


@register.inclusion_tag("partials/error_summary.html")
def error_summary(form) -> dict:
    """The summary of a form's errors, once per form: each error a link to its field.

    Rendered at the top of the form (crispy's ``bootstrap5/errors.html`` calls it, so does a hand-written form);
    app.js gives it the focus when the page loads, and a link moves the focus to its field.
    """
    import uuid

    if form is None or not getattr(form, "errors", None) or getattr(form, "_error_summary_shown", False):
        return {"items": []}
    form._error_summary_shown = True
    items = [{"text": error} for error in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            target = None if field.is_hidden else _first_input_id(field)
            items.append({"text": error, "label": _label_before(field.label), "href": f"#{target}" if target else ""})
    return {"items": items, "summary_id": f"error-summary-{uuid.uuid4().hex[:8]}"}


def _first_input_id(field) -> str:
    """The id the summary's link jumps to: the field's input, or the first of a list of radio buttons or check boxes
    (whose label belongs to the whole group, so ``id_for_label`` is empty)."""
    if field.id_for_label:
        return field.id_for_label
    subwidgets = field.subwidgets
    return subwidgets[0].id_for_label if subwidgets else ""


def _label_before(label) -> str:
    """The field's label as it leads its message: "Naam: …", but "Wanneer is het ontdekt? …" (no second sign)."""
    text = str(label or "").strip()
    if not text:
        return ""
    return text if text[-1] in "?!:." else f"{text}:"
