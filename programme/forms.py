from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Officer, User
from core.history import reason_field
from core.uploads import validate_upload
from core.widgets import DateInput
from core.years import MAX_YEAR, MIN_YEAR
from programme.kpi_status import Direction
from programme.kpis import registry
from programme.models import (
    BudgetLine,
    Channel,
    Goal,
    HoursConfirmation,
    Kpi,
    KpiMeasurement,
    Message,
    QuarterlyMailing,
    Topic,
    TopicSuggestion,
)
from programme.services import kpi_overlap_error

QUARTER_CHOICES = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))]
MONTH_CHOICES = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "kind", "year", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise forms.ValidationError(_("Enter a year between 2000 and 2100."))
        return year


class KpiForm(forms.ModelForm):
    measure = forms.ChoiceField(label=_("Measure"), required=False)

    class Meta:
        model = Kpi
        fields = ["name", "measure", "unit", "baseline", "target", "direction", "period_start", "period_end"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "direction": forms.RadioSelect}

    def __init__(self, *args, goal: Goal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.goal = goal
        choices = [("", _("Measured by hand (enter values with a date and a source)"))]
        choices += sorted(registry.choices(), key=lambda c: c[1])
        current = self.instance.measure if self.instance.pk else ""
        if current and current not in dict(choices):
            choices.append((current, _("%(key)s (not available)") % {"key": current}))
        self.fields["measure"].choices = choices
        self.fields["measure"].help_text = Kpi._meta.get_field("measure").help_text
        # Left out, the direction stays what it was (higher is better for a new KPI).
        self.fields["direction"].required = False

    def clean_direction(self) -> str:
        return self.cleaned_data.get("direction") or self.instance.direction or Direction.HIGHER

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        if data.get("target") is not None and not (data.get("unit") or "").strip():
            self.add_error("unit", _("A target needs a unit, for example 'reports' or 'percent'."))
        keeps_old_measure = bool(self.instance.pk) and self.instance.measure == data.get("measure")
        if data.get("measure") and registry.get(data["measure"]) is None and not keeps_old_measure:
            self.add_error("measure", _("This measure is not available."))
        if start and end and end >= start and not self.errors:
            error = kpi_overlap_error(
                goal=self.goal,
                measure=data.get("measure") or "",
                name=data.get("name") or "",
                start=start,
                end=end,
                exclude_pk=self.instance.pk,
            )
            if error:
                self.add_error("period_start", error)
        return data


class KpiMeasurementForm(forms.ModelForm):
    class Meta:
        model = KpiMeasurement
        fields = ["value", "measured_on", "source"]
        widgets = {"measured_on": DateInput()}
        help_texts = {"source": _("Where the value comes from, for example 'phishing simulation March'.")}


class KpiMeasurementCorrectionForm(KpiMeasurementForm):
    """A measurement corrected: the right values and why (kept with the earlier version)."""

    reason = reason_field(
        help_text=_("Shown with the measurement's history, for example 'typing error: 62 instead of 26'.")
    )


class TopicForm(forms.ModelForm):
    """Month and quarter are exclusive; the month is picked as a year-month so a wrong year is caught."""

    month_value = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("Either a month (for example 2026-03) or a quarter."),
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[("", "---------"), *QUARTER_CHOICES], coerce=int, required=False, empty_value=None
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Topic
        fields = [
            "title",
            "key_message",
            "why_it_matters",
            "target_audience",
            "quarter",
            "channels",
            "department",
            "owner",
        ]
        widgets = {
            "key_message": forms.Textarea(attrs={"rows": 3}),
            "why_it_matters": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = [
        "title",
        "key_message",
        "why_it_matters",
        "target_audience",
        "month_value",
        "quarter",
        "channels",
        "department",
        "owner",
        "version",
    ]

    def __init__(self, *args, plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        organisation_id = plan.organisation_id
        self.fields["department"].queryset = Department.objects.filter(organisation_id=organisation_id, is_active=True)
        self.fields["department"].empty_label = _("Organisation-wide")
        officers = Officer.objects.filter(user__organisation_id=organisation_id).values("user_id")
        self.fields["owner"].queryset = User.objects.filter(pk__in=officers, is_active=True)
        self.fields["owner"].label = _("Owner")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if self.instance.month:
                self.fields["month_value"].initial = f"{plan.year}-{self.instance.month:02d}"
            if self.instance.is_fact:
                # A topic of a published plan is relied on: its edit is a correction with a reason.
                self.fields["reason"] = reason_field(
                    help_text=_("Shown in the topic's history, for example 'wrong month: March instead of May'.")
                )

    def clean_month_value(self) -> int | None:
        raw = (self.cleaned_data.get("month_value") or "").strip()
        if not raw:
            return None
        try:
            parsed = datetime.datetime.strptime(raw, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("Enter a month as year-month, for example 2026-03."))
        if parsed.year != self.plan.year:
            raise forms.ValidationError(
                _("This month lies outside the plan's year (%(year)s).") % {"year": self.plan.year}
            )
        return parsed.month

    def clean(self) -> dict:
        data = super().clean()
        month = data.get("month_value")
        quarter = data.get("quarter")
        if "month_value" not in self.errors and (month is None) == (quarter is None):
            raise forms.ValidationError(_("Plan the topic for either a month or a quarter, not both and not neither."))
        data["month"] = month
        return data

    def _post_clean(self) -> None:
        # The service applies the values and runs the model's checks; the instance stays untouched
        # here, so a refused (stale) save leaves the stored topic as it was.
        pass

    def topic_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in ("title", "key_message", "why_it_matters")}
        data.update(
            target_audience=self.cleaned_data.get("target_audience") or "",
            channels=list(self.cleaned_data.get("channels") or []),
            month=self.cleaned_data.get("month"),
            quarter=self.cleaned_data.get("quarter"),
            department=self.cleaned_data.get("department"),
            owner=self.cleaned_data.get("owner"),
        )
        return data


class TopicFilterForm(forms.Form):
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[("", _("All"))] + QUARTER_CHOICES, coerce=int, required=False, empty_value=None
    )
    month = forms.TypedChoiceField(
        label=_("Month"), choices=[("", _("All"))] + MONTH_CHOICES, coerce=int, required=False, empty_value=None
    )
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All"))] + Topic.Status.choices, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("All"))] + Channel.choices, required=False)

    def __init__(self, *args, organisation_id, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organisation_id=organisation_id, is_active=True)
        self.fields["department"].empty_label = _("All")


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), required=False, help_text=_("PDF, Office document or image."))
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            validate_upload(uploaded)
        return uploaded

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Add either a file or a link."))
        return data


class MessageForm(forms.ModelForm):
    class Meta:
        model = Message
        fields = ["channel", "planned_on", "title", "notes"]
        widgets = {"planned_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, topic: Topic, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.topic = topic
        if self.instance.pk and self.instance.is_fact:
            # A sent message is a fact: its edit is a correction with a reason.
            self.fields["reason"] = reason_field(help_text=_("Shown in the message's history."))

    def message_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}

    def clean_planned_on(self) -> datetime.date:
        day = self.cleaned_data["planned_on"]
        if day.year != self.topic.plan.year:
            raise forms.ValidationError(
                _("The planned date lies outside the plan's year (%(year)s).") % {"year": self.topic.plan.year}
            )
        return day


class MailingForm(forms.ModelForm):
    class Meta:
        model = QuarterlyMailing
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


class PreviewForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Preview as an employee of"), queryset=Department.objects.none())

    def __init__(self, *args, organisation_id, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organisation_id=organisation_id, is_active=True)


class SuggestionForm(forms.ModelForm):
    class Meta:
        model = TopicSuggestion
        fields = ["title", "description", "for_year"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PullSuggestionsForm(forms.Form):
    suggestions = forms.ModelMultipleChoiceField(
        label=_("Suggestions"), queryset=TopicSuggestion.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    year = forms.IntegerField(label=_("Into the plan of year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTER_CHOICES, coerce=int)

    def __init__(self, *args, organisation_id, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggestions"].queryset = TopicSuggestion.objects.filter(organisation_id=organisation_id).open()
        self.fields["suggestions"].error_messages["required"] = _("Choose at least one suggestion.")


class HoursConfirmationForm(forms.ModelForm):
    class Meta:
        model = HoursConfirmation
        fields = ["hours_per_month"]

    def clean_hours_per_month(self):
        hours = self.cleaned_data["hours_per_month"]
        if hours < 0:
            raise forms.ValidationError(_("The number of hours cannot be negative."))
        if hours > 160:
            raise forms.ValidationError(_("At most 160 hours per month."))
        return hours


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["unit", "category", "description", "planned", "actual"]
        widgets = {"unit": forms.RadioSelect}
        help_texts = {
            "planned": _("In euros or in hours, as chosen above."),
            "actual": _("What has been spent or used so far."),
        }

    def _not_negative(self, name: str):
        value = self.cleaned_data[name]
        if value is not None and value < 0:
            raise forms.ValidationError(_("An amount cannot be negative."))
        return value

    def clean_planned(self):
        return self._not_negative("planned")

    def clean_actual(self):
        return self._not_negative("actual")


class BudgetLineCorrectionForm(BudgetLineForm):
    """A recorded budget line corrected: the right values and why (the earlier values stay in its history)."""

    reason = reason_field(help_text=_("Shown in the budget line's history, for example 'invoice booked twice'."))

    def line_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}
