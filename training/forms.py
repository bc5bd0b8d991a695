from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.uploads import validate_upload
from core.widgets import DATETIME_INPUT_FORMAT, DateTimeInput
from programme.models import Topic
from training.models import Material, Module, TrainingSession


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ["year", "title", "description", "is_mandatory", "topic"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id
        self.fields["topic"].queryset = Topic.objects.filter(plan__organisation_id=organisation_id).select_related(
            "plan"
        )
        self.fields["topic"].label_from_instance = lambda topic: f"{topic.plan.year} – {topic.title}"

    def clean(self) -> dict:
        data = super().clean()
        year, title = data.get("year"), data.get("title")
        if year and title:
            duplicates = Module.objects.filter(organisation_id=self.organisation_id, year=year, title__iexact=title)
            if self.instance.pk:
                duplicates = duplicates.exclude(pk=self.instance.pk)
            if duplicates.exists():
                self.add_error("title", _("There is already a module with this title in %(year)s.") % {"year": year})
        topic = data.get("topic")
        if topic and year and topic.plan.year != year:
            self.add_error("topic", _("Choose a topic of the annual plan of the same year."))
        return data


class SessionForm(forms.ModelForm):
    online_url = forms.URLField(
        label=TrainingSession._meta.get_field("online_url").verbose_name,
        help_text=TrainingSession._meta.get_field("online_url").help_text,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = TrainingSession
        fields = [
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "trainer",
            "external_trainer",
            "capacity",
            "enrolment_deadline",
            "open_to_all_staff",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "enrolment_deadline": DateTimeInput(),
        }

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "enrolment_deadline"):
            self.fields[name].input_formats = [DATETIME_INPUT_FORMAT]
        self.fields["trainer"].queryset = (
            User.objects.filter(organisation_id=organisation_id, is_active=True, officer_roles__isnull=False)
            .distinct()
            .order_by("full_name")
        )
        self.fields["capacity"].min_value = 1
        self.fields["capacity"].widget.attrs["min"] = 1


class AttendanceForm(forms.Form):
    """One checkbox per enrolled person; the list of choices is the session's enrolled places."""

    attended = forms.MultipleChoiceField(label=_("Attended"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, enrolments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(e.pk), e.user.full_name) for e in enrolments]

    def attended_ids(self) -> set[int]:
        return {int(value) for value in self.cleaned_data["attended"]}


class MaterialForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = Material
        fields = ["title", "file", "url"]
        help_texts = {"file": _("PDF, Office document or image."), "url": _("Or a link, for example to a video.")}

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and hasattr(uploaded, "size"):
            validate_upload(uploaded)
        return uploaded

    def clean(self) -> dict:
        data = super().clean()
        has_file, has_url = bool(data.get("file")), bool(data.get("url"))
        if not self.errors and has_file == has_url:
            raise forms.ValidationError(_("Upload a file or give a link (one of the two)."))
        return data
