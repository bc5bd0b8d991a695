"""``{% data_table %}`` gives the HTML of the template it replaced, localised and escaped as that did."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from accounts.tests.factories import DepartmentFactory
from evaluation.dashboards.tables import Table

pytestmark = pytest.mark.django_db

# evaluation/dashboards/partials/data_table.html as it was, with the download links it included (exports.html).
TEMPLATE = """{% load i18n l10n %}<div class="table-responsive" tabindex="0" role="region" aria-labelledby="caption-{{ table.key }}">
  <table class="table table-sm table-striped table-figures" data-testid="table-{{ table.key }}">
    <caption id="caption-{{ table.key }}">{{ table.caption }}</caption>
    <thead>
      <tr>{% for column in table.columns %}<th scope="col"{% if not forloop.first %} class="text-end"{% endif %}>{{ column }}</th>{% endfor %}</tr>
    </thead>
    <tbody>
      {% for row in table.rows %}
        <tr>
          {% for cell in row %}
            {% if forloop.first %}<th scope="row">{{ cell }}</th>{% else %}<td class="text-end">{% if cell is None %}<span aria-hidden="true">–</span><span class="visually-hidden">{% translate "not available" %}</span>{% else %}{{ cell }}{% endif %}</td>{% endif %}
          {% endfor %}
        </tr>
      {% empty %}
        <tr><td colspan="{{ table.columns|length }}">{% translate "Nothing recorded yet." %}</td></tr>
      {% endfor %}
    </tbody>
  </table>
</div>
{% if table.note %}<p class="small text-body-secondary" data-testid="note-{{ table.key }}">{{ table.note }}</p>{% endif %}
<div class="no-print small d-flex gap-2 align-items-center">
  <span id="export-{{ table.key }}">{% translate "Download:" %}</span>
  {% if department %}
    <a href="{% url 'evaluation:department_export' department.pk table.key 'csv' %}" aria-describedby="export-{{ table.key }} caption-{{ table.key }}">CSV</a>
    <a href="{% url 'evaluation:department_export' department.pk table.key 'xlsx' %}" aria-describedby="export-{{ table.key }} caption-{{ table.key }}">Excel</a>
  {% else %}
    <a href="{% url 'evaluation:programme_export' table.key 'csv' %}" aria-describedby="export-{{ table.key }} caption-{{ table.key }}">CSV</a>
    <a href="{% url 'evaluation:programme_export' table.key 'xlsx' %}" aria-describedby="export-{{ table.key }} caption-{{ table.key }}">Excel</a>
  {% endif %}
</div>
"""


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


TABLES = [
    Table(
        "figures",
        "Kerncijfers <2026>",
        ["Cijfer", "Deze afdeling", "Gemiddelde"],
        [
            ["Uren & meer", Decimal("1234.5"), 12345],
            ["Geen cijfer", None, Decimal("0.0")],
            [mark_safe("<b>veilig</b>"), "tekst <i>", 7],
        ],
        note="Een noot & nog wat",
    ),
    Table("empty", "Leeg", ["Kwartaal", "Aantal"], []),
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.key)
@pytest.mark.parametrize("on_department", [True, False])
def test_the_tag_renders_what_the_template_rendered(language, table, on_department):
    context = {"table": table, "department": DepartmentFactory() if on_department else None}
    with translation.override(language):
        tag = Template("{% load dashboard_tables %}{% data_table table %}").render(Context(context))
        template = Template(TEMPLATE).render(Context(context))
    assert _squeeze(tag) == _squeeze(template)


def test_cells_are_dutch_numbers_and_a_missing_one_is_read_as_not_available():
    with translation.override("nl"):
        html = Template("{% load dashboard_tables %}{% data_table table %}").render(Context({"table": TABLES[0]}))
    assert '<td class="text-end">1.234,5</td>' in html and '<td class="text-end">12.345</td>' in html
    assert '<span class="visually-hidden">niet beschikbaar</span>' in html
    assert "Uren &amp; meer" in html and "tekst &lt;i&gt;" in html and "<b>veilig</b>" in html


@pytest.mark.parametrize("on_department", [True, False])
def test_the_links_alone_are_those_under_the_table(on_department):
    context = {"table": TABLES[0], "department": DepartmentFactory() if on_department else None}
    with translation.override("nl"):
        links = Template("{% load dashboard_tables %}{% table_exports table %}").render(Context(context))
        table = Template("{% load dashboard_tables %}{% data_table table %}").render(Context(context))
    assert "Downloaden:" in links and links in table
