"""Forms of the yearly evaluation."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.report.models import EvaluationReport, TopicProposal


class EvaluationReportForm(forms.ModelForm):
    class Meta:
        model = EvaluationReport
        fields = ["conclusions", "status"]
        widgets = {"conclusions": forms.Textarea(attrs={"rows": 8})}


class TopicProposalForm(forms.ModelForm):
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TopicProposal
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"title": _("For example: safe use of AI tools.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    def clean_title(self) -> str:
        title = (self.cleaned_data.get("title") or "").strip()
        if len(title) < 3:
            raise forms.ValidationError(_("Give the topic a title of at least three characters."))
        return title
