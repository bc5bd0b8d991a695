"""``{% programme_progress department %}``: the department dashboard's section on the year programme."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ambassadors.programmes import selectors
from ambassadors.programmes.models import DepartmentProgramme

register = template.Library()


@register.inclusion_tag("department_programme/partials/dashboard.html")
def programme_progress(department, year: int | None = None) -> dict:
    """Planned against done per quarter, with hours, in two queries."""
    year = year or timezone.localdate().year
    programme = DepartmentProgramme.objects.filter(department=department, year=year).first()
    items = selectors.programme_items(programme) if programme else []
    return {"programme": programme, "quarters": selectors.quarters(items), "year": year}
