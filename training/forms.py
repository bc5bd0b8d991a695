from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.autocomplete import Autocomplete
from core.history import reason_field
from core.uploads import validate_upload
from core.widgets import DATETIME_INPUT_FORMAT, DateTimeInput
from programme.models import Topic
from training.models import Enrolment, Material, Module, TrainingSession


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
        self.fields["capacity"].widget.attrs["min"] = 1
        if self.instance.pk and self.instance.has_started():
            # A session that has taken place is a fact: its edit is a correction with a reason.
            self.fields["reason"] = reason_field(help_text=_("Shown in the session's history."))

    def clean_capacity(self) -> int | None:
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(_("A session needs at least one seat."))
        return capacity


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The enrolled participants and those on the waiting list receive this in their e-mail."),
        error_messages={"required": _("Give the reason for cancelling; the participants will read it.")},
    )


class EnrolColleagueForm(forms.Form):
    """An officer enrols a colleague: any active employee of the organisation not already in the session."""

    user = forms.ModelChoiceField(
        label=_("Colleague"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose the colleague to enrol."),
            "invalid_choice": _("Choose a colleague from the list."),
        },
    )

    def __init__(self, *args, session, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = colleagues_to_enrol(session)
        field.label_from_instance = colleague_label
        # Every employee of the organisation is a choice: searched as the officer types, not listed in a select.
        field.widget = Autocomplete(
            search_url=reverse("training:session_colleague_search", args=[session.pk]),
            search_fields=COLLEAGUE_SEARCH_FIELDS,
        )
        field.widget.choices = field.choices
        field.widget.is_required = field.required


COLLEAGUE_SEARCH_FIELDS = ("full_name", "email")


def colleagues_to_enrol(session) -> QuerySet:
    """The organisation's active employees not already enrolled in ``session``, by name. Once the session has
    started, those on its waiting list are choices too: one who came anyway is added as attended."""
    taken = Enrolment.objects.enrolled() if session.has_started() else Enrolment.objects.active()
    return (
        User.objects.filter(organisation_id=session.module.organisation_id, is_active=True)
        .exclude(pk__in=taken.filter(session=session).values("user_id"))
        .order_by("full_name")
    )


def colleague_label(user) -> str:
    return f"{user.full_name} ({user.email})"


class AttendanceForm(forms.Form):
    """One checkbox per enrolled person; the list of choices is the session's enrolled places."""

    attended = forms.MultipleChoiceField(label=_("Attended"), required=False, widget=forms.CheckboxSelectMultiple)
    # Needed only when attendance registered before changes (the service says so); kept with the correction.
    reason = reason_field(
        required=False,
        help_text=_("Only when you change attendance registered before; the earlier value is kept."),
    )

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

    # "One of file and link" is the model's clean() (core.models.Material), which the form runs.
