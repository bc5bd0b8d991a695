"""Forms of the surveys: the survey's settings, one question, and the respondent's answers."""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core.widgets import DateInput
from evaluation.surveys.models import LIKERT_VALUES, Question, Survey

MAX_OPTIONS = 10
MAX_OPEN_ANSWER = 2000

LIKERT_LABELS = {
    1: _("1 - strongly disagree"),
    2: _("2 - disagree"),
    3: _("3 - neutral"),
    4: _("4 - agree"),
    5: _("5 - strongly agree"),
}


class SurveyForm(forms.ModelForm):
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Survey
        fields = ["title", "introduction", "kind", "anonymous", "audience", "departments", "deadline"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "deadline": DateInput(),
            "departments": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4()
        self.fields["departments"].queryset = Department.objects.filter(
            organisation_id=organisation_id, is_active=True
        ).order_by("path")
        self.fields["departments"].required = False
        self.fields["departments"].help_text = _(
            'Only for the audience "chosen departments": the teams below them are included.'
        )

    def clean_deadline(self) -> datetime.date:
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline

    def clean(self) -> dict:
        data = super().clean()
        if data.get("audience") == Survey.Audience.DEPARTMENTS and not data.get("departments"):
            self.add_error("departments", _("Choose at least one department for this audience."))
        return data


class QuestionForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Question"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices, initial=Question.Kind.LIKERT)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only for multiple choice: one option per line, at least two."),
    )
    required = forms.BooleanField(label=_("Answer required"), required=False, initial=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4()

    def clean_options(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("options", "").splitlines()]
        options: list[str] = []
        for line in lines:
            if line and line not in options:
                options.append(line[:200])
        return options

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == Question.Kind.CHOICE:
            options = data.get("options") or []
            if len(options) < 2:
                self.add_error("options", _("Give at least two options, one per line."))
            elif len(options) > MAX_OPTIONS:
                self.add_error("options", _("Give at most %(max)s options.") % {"max": MAX_OPTIONS})
        return data


class ResponseForm(forms.Form):
    """One field per question, named after the question's id."""

    def __init__(self, *args, questions: list[Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[self.field_name(question)] = self._field(question)

    @staticmethod
    def field_name(question: Question) -> str:
        return f"question_{question.pk}"

    def _field(self, question: Question) -> forms.Field:
        common = {
            "label": question.text,
            "required": question.required,
            "error_messages": {"required": _("Please answer this question.")},
        }
        if question.kind == Question.Kind.LIKERT:
            return forms.TypedChoiceField(
                choices=[(value, LIKERT_LABELS[value]) for value in LIKERT_VALUES],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                **common,
            )
        if question.kind == Question.Kind.CHOICE:
            return forms.ChoiceField(
                choices=[(option, option) for option in question.options], widget=forms.RadioSelect, **common
            )
        return forms.CharField(
            max_length=MAX_OPEN_ANSWER,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Do not write names or other personal data in your answer."),
            **common,
        )

    def answers(self) -> dict[int, object]:
        return {question.pk: self.cleaned_data.get(self.field_name(question)) for question in self.questions}


class MeasurementForm(forms.Form):
    measurement = forms.ChoiceField(
        label=_("This survey is"),
        choices=[("", _("Neither a baseline nor a follow-up")), *Survey.Measurement.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    campaign = forms.CharField(
        label=_("Awareness campaign"),
        max_length=200,
        required=False,
        help_text=_("Only for a baseline, for example 'Phishing 2026'; its follow-ups take the same name."),
    )
    baseline = forms.ModelChoiceField(
        label=_("Baseline survey"),
        queryset=Survey.objects.none(),
        required=False,
        help_text=_("Only for a follow-up: a baseline with the same questions that ended earlier."),
    )

    def __init__(self, *args, survey: Survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["baseline"].queryset = (
            Survey.objects.filter(organisation_id=survey.organisation_id, measurement=Survey.Measurement.BASELINE)
            .exclude(pk=survey.pk)
            .order_by("-deadline")
        )
