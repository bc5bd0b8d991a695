"""Forms of the department year programme and good practices."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User
from ambassadors.programmes.models import DepartmentProgramme, GoodPractice, PlannedItem
from core.history import reason_field
from programme.models import Topic


class PlannedItemForm(forms.ModelForm):
    class Meta:
        model = PlannedItem
        fields = [
            "topic",
            "title",
            "kind",
            "month",
            "quarter",
            "ambassador",
            "hours",
            "team",
            "decision",
            "decision_reason",
        ]
        widgets = {
            "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "inputmode": "decimal"}),
        }

    def __init__(self, *args, programme: DepartmentProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        department = programme.department
        self.fields["topic"].queryset = (
            Topic.objects.filter(plan__organisation_id=programme.organisation_id, plan__year=programme.year)
            .published()
            .for_department(department)
            .order_by("quarter", "month", "title")
        )
        self.fields["topic"].required = False
        self.fields["ambassador"].queryset = (
            User.objects.filter(organisation_id=programme.organisation_id, appointments__departments=department)
            .distinct()
            .order_by("full_name")
        )
        self.fields["ambassador"].required = True
        self.fields["team"].queryset = (
            Department.objects.filter(organisation_id=programme.organisation_id, is_active=True)
            .subtree_of([department])
            .exclude(pk=department.pk)
            .order_by("path")
        )
        self.fields["team"].empty_label = _("The whole department")
        self.fields["month"].help_text = _("Either a month or a quarter.")
        self.fields["hours"].min_value = 0.1
        self.fields["decision_reason"].help_text = _("Required when the item is dropped.")
        if self.instance.pk is None:
            # A new item has nothing to decide about yet.
            del self.fields["decision"]
            del self.fields["decision_reason"]
        elif programme.is_agreed:
            # What was agreed is corrected with a reason, kept in the item's history.
            self.fields["reason"] = reason_field()

    def clean(self):
        data = super().clean()
        if (data.get("month") is None) == (data.get("quarter") is None):
            raise ValidationError(_("Plan the item for either a month or a quarter."))
        if data.get("decision") == PlannedItem.Decision.DROPPED and not (data.get("decision_reason") or "").strip():
            self.add_error("decision_reason", _("Give the reason why the item is dropped."))
        return data

    def _post_clean(self):
        # The service validates the model once it has its programme (super() would check without it).
        pass


class StartForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("Department"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, department_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(pk__in=list(department_ids)).order_by("path")


class DecisionForm(forms.Form):
    remark = forms.CharField(
        label=_("Remark"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you send the programme back."),
    )


class GoodPracticeForm(forms.ModelForm):
    material_title = forms.CharField(label=_("Title of the material"), max_length=200, required=False)
    material_file = forms.FileField(label=_("Material: a file"), required=False)
    material_url = forms.URLField(label=_("Material: or a link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = GoodPractice
        fields = ["title", "kind", "topic", "what", "audience", "what_worked", "effort", "hours"]
        widgets = {
            "what": forms.Textarea(attrs={"rows": 3}),
            "what_worked": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organisation_id: int, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = (
            Topic.objects.filter(plan__organisation_id=organisation_id).published().select_related("plan")
        )
        self.fields["topic"].required = False
        if activities is not None:
            # Shared from the ambassador's own activity log rather than from a planned item.
            self.fields["activity"] = forms.ModelChoiceField(
                queryset=activities,
                required=False,
                label=_("Activity it is about"),
                empty_label=_("No particular activity"),
            )
            self.fields["activity"].label_from_instance = lambda a: f"{a.date:%d-%m-%Y} {a.get_kind_display()}"
            self.order_fields(["activity"])

    def clean(self):
        data = super().clean()
        if data.get("material_file") and data.get("material_url"):
            raise ValidationError(_("Give a file or a link, not both."))
        return data


class PracticeFilterForm(forms.Form):
    topic = forms.ModelChoiceField(queryset=Topic.objects.none(), required=False, label=_("Topic"))
    kind = forms.ChoiceField(required=False, label=_("Type of activity"))

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        from ambassadors.models import Activity

        self.fields["topic"].queryset = Topic.objects.filter(plan__organisation_id=organisation_id).published()
        self.fields["kind"].choices = [("", _("All types"))] + list(Activity.Kind.choices)


def add_planned_item_field(form: forms.Form, *, user: User, department_ids, year: int, day, topic_id) -> None:
    """The activity form's hook: which planned item the activity counts towards, suggested by topic and date."""
    from ambassadors.programmes.selectors import matchable_items, suggested_item

    queryset = matchable_items(user, department_ids, year)
    items = list(queryset)
    if not items:
        return
    form.fields["planned_item"] = forms.ModelChoiceField(
        queryset=queryset,
        required=False,
        label=_("Planned item of the department programme"),
        help_text=_("Suggested by topic and date; choose another item or none."),
        empty_label=_("No planned item"),
    )
    form.fields["planned_item"].label_from_instance = lambda item: f"{item.title} ({item.period_label})"
    instance = getattr(form, "instance", None)
    if instance is not None and instance.pk:
        match = getattr(instance, "planned_match", None) if hasattr(instance, "planned_match") else None
        form.initial.setdefault("planned_item", match.item_id if match else None)
    else:
        suggestion = suggested_item(items, user=user, day=day, topic_id=topic_id)
        form.initial.setdefault("planned_item", suggestion.pk if suggestion else None)
