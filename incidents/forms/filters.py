"""The filters and sort orders of the register and the queue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.fields import DepartmentField
from accounts.models import Department, User
from core.listing import ListFilters
from core.widgets import DateInput
from incidents.models import (
    APNotification,
    Category,
)
from incidents.state import NOTIFIED

# The register's sortable columns: URL key -> database expression (annotations of the register's queryset).
REGISTER_SORTS = {
    "referentie": "number",
    "gemeld": "created_at",
    "bewust": "aware_at",
    "afdeling": "department__name",
    "soort": "category",
    "ernst": "severity",
    "besluit_ap": "ap_decision",
    "gemeld_ap": "first_notified_at",
    "op_tijd": "on_time",
    "betrokkenen": "subjects_informed",
    "status": "derived_state",
    "behandelaar": "assignee__full_name",
}


# The queue's sortable columns (the deadline runs from the awareness moment).
QUEUE_SORTS = {
    "referentie": "number",
    "gemeld": "created_at",
    "deadline": "aware_at",
    "soort": "category",
    "afdeling": "department__name",
    "status": "derived_state",
    "behandelaar": "assignee__full_name",
}


class LeakListFilterForm(ListFilters):
    """The filters the handler's lists share (the queue and the register), all in the query string.

    Subclasses name their sortable columns (``sorts``, a whitelist); sorting and paging are core.listing's.
    """

    default_sort = "-gemeld"

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Reference or text"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    department = DepartmentField(label=_("Department"), required=False)
    category = forms.ChoiceField(label=_("Type"), choices=[("", _("All types")), *Category.choices], required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def __init__(self, *args: Any, organisation_id: int, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["department"].queryset = Department.objects.filter(organisation_id=organisation_id).order_by("name")

    def filter(self, queryset, data: dict):
        """The filters of this list (the shared ones here; subclasses add theirs)."""
        if data.get("q"):
            term = data["q"].strip()
            queryset = queryset.filter(
                Q(reference__icontains=term)
                | Q(description__icontains=term)
                | Q(consequences__icontains=term)
                | Q(measures_taken__icontains=term)
                | Q(measures_preventive__icontains=term)
                | Q(cause__icontains=term)
                | Q(lesson__icontains=term)
                | Exists(APNotification.objects.filter(leak=OuterRef("pk"), ap_reference__icontains=term))
            )
        if data.get("department"):
            queryset = queryset.filter(department__path__startswith=data["department"].path)
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("mine") and self.user is not None:
            queryset = queryset.filter(assignee=self.user)
        return queryset


class RegisterFilterForm(LeakListFilterForm):
    sorts = REGISTER_SORTS

    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    notified = forms.ChoiceField(
        label=_("Notified to the AP"),
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )

    field_order = ["q", "start", "end", "department", "category", "notified", "mine", "sort"]

    def filter(self, queryset, data: dict):
        queryset = super().filter(queryset.in_period(data.get("start"), data.get("end")), data)
        # Notified and not withdrawn (incidents.state); the list comes annotated (selectors.register_queryset).
        notified = NOTIFIED
        if data.get("notified") == "yes":
            queryset = queryset.filter(notified)
        elif data.get("notified") == "no":
            queryset = queryset.exclude(notified)
        return queryset


class QueueFilterForm(LeakListFilterForm):
    """The handler's queue: open reports by their deadline (the default), or every report, newest first."""

    sorts = QUEUE_SORTS

    toon = forms.ChoiceField(
        label=_("Show"),
        choices=[("open", _("Open")), ("alle", _("All"))],
        required=False,
        widget=forms.HiddenInput,
    )

    @property
    def show(self) -> str:
        return (self.cleaned_data.get("toon") if self.is_bound and self.is_valid() else "") or "open"

    @property
    def current_sort(self) -> str:
        chosen = self.cleaned_data.get("sort") if self.is_bound and self.is_valid() else ""
        return chosen or ("deadline" if self.show == "open" else "-gemeld")

    def filter(self, queryset, data: dict):
        queryset = super().filter(queryset, data)
        return queryset.open() if self.show == "open" else queryset

    def apply(self, queryset):
        # An invalid query string still shows the open reports, not every report.
        return super().apply(queryset if self.is_valid() else queryset.open())
