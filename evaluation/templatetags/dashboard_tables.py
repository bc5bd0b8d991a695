"""``{% data_table table %}``: a dashboard's data table with its note and download links, rendered in Python
(``{% table_exports table %}``: the links alone).

A department's dashboard holds eight tables of up to fifteen rows; through the template engine, with a loop, two
conditions and a lookup per cell, they cost as much as the dashboard's queries. This gives the same HTML
(``evaluation/tests/test_dashboard_tables.py`` compares it with the template it replaces): every cell localised
and escaped as ``{{ cell }}`` renders it, a missing figure as a dash that screen readers read as "not available".
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.formatting import number_formatter

register = template.Library()


@register.simple_tag(takes_context=True)
def data_table(context: template.Context, table) -> SafeString:
    number = number_formatter()

    def text(value) -> str:
        if type(value) in (int, Decimal) and context.use_l10n is not False:
            return number(value)  # as {{ value }} shows it, without its cost per cell
        return render_value_in_context(value, context)

    key = text(table.key)
    missing = '<span aria-hidden="true">–</span><span class="visually-hidden">' + text(_("not available")) + "</span>"
    parts = [
        f'<div class="table-responsive" tabindex="0" role="region" aria-labelledby="caption-{key}">',
        f'<table class="table table-sm table-striped table-figures" data-testid="table-{key}">',
        f'<caption id="caption-{key}">{text(table.caption)}</caption>',
        "<thead><tr>",
    ]
    right = ' class="text-end"'
    parts += [
        f'<th scope="col"{"" if index == 0 else right}>{text(column)}</th>'
        for index, column in enumerate(table.columns)
    ]
    parts.append("</tr></thead><tbody>")
    for row in table.rows:
        cells = ["<tr>"]
        for index, cell in enumerate(row):
            if index == 0:
                cells.append(f'<th scope="row">{text(cell)}</th>')
            else:
                cells.append(f'<td class="text-end">{missing if cell is None else text(cell)}</td>')
        cells.append("</tr>")
        parts.append("".join(cells))
    if not table.rows:
        nothing = text(_("Nothing recorded yet."))
        parts.append(f'<tr><td colspan="{len(table.columns)}">{nothing}</td></tr>')
    parts.append("</tbody></table></div>")
    if table.note:
        parts.append(f'<p class="small text-body-secondary" data-testid="note-{key}">{text(table.note)}</p>')
    parts.append(_exports(context, table))
    # Every value above went through render_value_in_context: localised and escaped as {{ value }} is.
    return mark_safe("\n".join(parts))  # noqa: S308


def _exports(context: template.Context, table) -> str:
    """The table's download links (CSV, Excel): the department's export on its dashboard, else the programme's."""

    def text(value) -> str:
        return render_value_in_context(value, context)

    department = context.get("department")
    links = [
        reverse("evaluation:department_export", args=[department.pk, table.key, fmt])
        if department
        else reverse("evaluation:programme_export", args=[table.key, fmt])
        for fmt in ("csv", "xlsx")
    ]
    key = text(table.key)
    described = f"export-{key} caption-{key}"
    download = text(_("Download:"))
    return "\n".join(
        [
            '<div class="no-print small d-flex gap-2 align-items-center">',
            f'<span id="export-{key}">{download}</span>',
            f'<a href="{text(links[0])}" aria-describedby="{described}">CSV</a>',
            f'<a href="{text(links[1])}" aria-describedby="{described}">Excel</a>',
            "</div>",
        ]
    )


@register.simple_tag(takes_context=True)
def table_exports(context: template.Context, table) -> SafeString:
    """``{% table_exports table %}``: the download links of a table shown without ``{% data_table %}``."""
    return mark_safe(_exports(context, table))  # noqa: S308 - escaped by render_value_in_context
