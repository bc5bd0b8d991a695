"""Forms of the evidence report, the organisation's own frameworks and the maturity self-assessment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.evidence.kinds import kind_choices
from evaluation.evidence.models import LEVEL_DESCRIPTIONS, BuildingBlock, Control, ControlFramework, MaturityLevel


class ExplanationForm(forms.Form):
    text = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the figures mean for this control, and what the organisation does beyond them. Leave empty to remove."
        ),
    )


class FrameworkForm(forms.ModelForm):
    class Meta:
        model = ControlFramework
        fields = ["name", "source", "version", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"name": _("For example: ENSIA 2026, questions on awareness.")}

    def __init__(self, *args, organisation=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self) -> dict:
        data = super().clean()
        name, version = (data.get("name") or "").strip(), (data.get("version") or "").strip()
        if name and version:
            clash = ControlFramework.objects.filter(organisation=self.organisation, name=name, version=version)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("version", _("Your organisation already has a framework with this name and version."))
        return data

    def validate_unique(self) -> None:
        # The organisation is set by the service; uniqueness is checked in clean().
        pass


class ControlForm(forms.ModelForm):
    evidence_kinds = forms.MultipleChoiceField(
        label=_("Programme evidence"),
        choices=kind_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The figures of the programme that serve as evidence for this control."),
    )

    class Meta:
        model = Control
        fields = ["code", "title", "description", "evidence_kinds", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, framework: ControlFramework, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip()
        if not code:
            raise forms.ValidationError(_("Give the control a code."))
        clash = Control.objects.filter(framework=self.framework, code=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This framework already has a control with this code."))
        return code

    def validate_unique(self) -> None:
        # The framework is set by the service; the code's uniqueness is checked in clean_code().
        pass


class MaturityForm(forms.Form):
    """A level (1 to 5) and an optional explanation per building block, and notes on the whole."""

    notes = forms.CharField(
        label=_("General notes"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        levels = [(level.value, f"{level.label}: {LEVEL_DESCRIPTIONS[level]}") for level in MaturityLevel]
        for block in BuildingBlock:
            self.fields[f"level_{block.value}"] = forms.TypedChoiceField(
                label=block.label,
                choices=levels,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level for this building block.")},
            )
            self.fields[f"note_{block.value}"] = forms.CharField(
                label=_("Explanation"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def blocks(self) -> list[tuple[BuildingBlock, forms.BoundField, forms.BoundField]]:
        return [(block, self[f"level_{block.value}"], self[f"note_{block.value}"]) for block in BuildingBlock]
