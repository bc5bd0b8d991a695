"""Forms of the ambassadors app. Fields are listed explicitly; owner, status and organisation come from services."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User
from ambassadors.models import (
    MAX_LEVELS,
    Activity,
    Appointment,
    Event,
    Feedback,
    Nomination,
    Recognition,
    quarter_bounds,
)
from core.formatting import short_date
from core.history import MISSING_REASON, reason_field
from core.listing import ListFilters
from core.widgets import DateInput, DateTimeInput
from programme.models import Topic


class TokenMixin(forms.Form):
    """A hidden one-time token: a form posted twice (a double click, a reload) is stored once."""

    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())


# --- Selection ----------------------------------------------------------------------------------


class NominationForm(TokenMixin, forms.Form):
    nominee = forms.ModelChoiceField(
        label=_("Who do you nominate?"),
        queryset=User.objects.none(),
        help_text=_("Yourself, or an employee of a department you manage."),
    )
    motivation = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    affinity = forms.CharField(
        label=_("Affinity with security and privacy"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Experience, interest, training."),
    )
    influence = forms.CharField(
        label=_("Influence in the department"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("How colleagues know and approach the candidate."),
    )
    hours_available = forms.DecimalField(
        label=_("Time available (hours per month)"),
        min_value=Decimal("1"),
        max_value=Decimal("40"),
        decimal_places=1,
    )

    def __init__(self, *args, user: User, candidate_department_ids: frozenset[int], **kwargs):
        """``candidate_department_ids``: whose nomination the user may put forward besides their own
        (accounts.permissions.nomination_candidate_department_ids)."""
        super().__init__(*args, **kwargs)
        candidates = User.objects.active().filter(pk=user.pk)
        if candidate_department_ids:
            candidates = (
                User.objects.active().visible_to(user).filter(department_id__in=candidate_department_ids) | candidates
            )
        self.fields["nominee"].queryset = candidates.distinct().order_by("full_name")
        self.initial.setdefault("nominee", user.pk)
        if not candidate_department_ids:
            self.fields["nominee"].widget = forms.HiddenInput()


class AppointmentForm(forms.Form):
    """The officer's decision to appoint a candidate (and, for rotation, whom they succeed)."""

    departments = forms.ModelMultipleChoiceField(
        label=_("Departments covered"),
        queryset=Department.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    kind = forms.ChoiceField(
        label=_("Internal or external"), choices=Appointment.Kind.choices, initial=Appointment.Kind.INTERNAL
    )
    external_organisation = forms.CharField(label=_("External organisation"), max_length=200, required=False)
    contract_end = forms.DateField(label=_("Contract end"), required=False, widget=DateInput())
    term_start = forms.DateField(label=_("Term start"), widget=DateInput())
    term_end = forms.DateField(label=_("Term end"), required=False, widget=DateInput())
    hours_per_month = forms.DecimalField(
        label=_("Hours per month agreed with the manager"),
        min_value=Decimal("0.5"),
        max_value=Decimal("80"),
        decimal_places=1,
    )
    predecessor = forms.ModelChoiceField(
        label=_("Succeeds"),
        queryset=Appointment.objects.none(),
        required=False,
        help_text=_("The predecessor's term ends the day before this term starts."),
    )
    handover_note = forms.CharField(
        label=_("Hand-over note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(
            organisation_id=organisation_id, is_active=True
        ).order_by("path")
        self.fields["predecessor"].queryset = (
            Appointment.objects.filter(organisation_id=organisation_id)
            .current()
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["predecessor"].label_from_instance = lambda a: f"{a.user} ({a.term_start:%d-%m-%Y})"

    def clean(self):
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("The term cannot end before it starts."))
        if data.get("kind") == Appointment.Kind.EXTERNAL:
            if not data.get("external_organisation"):
                self.add_error("external_organisation", _("An external ambassador needs an organisation."))
            if not data.get("contract_end"):
                self.add_error("contract_end", _("An external ambassador needs a contract end date."))
        predecessor = data.get("predecessor")
        if predecessor and start and start <= predecessor.term_start:
            self.add_error("term_start", _("A successor's term must start after the predecessor's term started."))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


# --- Activity log -------------------------------------------------------------------------------


class ActivityForm(TokenMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "date", "hours", "colleagues_reached", "topic", "department", "note"]
        widgets = {
            "date": DateInput(),
            "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "24", "inputmode": "decimal"}),
            "colleagues_reached": forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}),
            "note": forms.TextInput(),
        }

    # An officer's correction may date an activity in a closed quarter; an ambassador logs the current one only.
    allow_closed_quarters = False

    def __init__(self, *args, user: User, covered_ids: frozenset[int], **kwargs):
        super().__init__(*args, **kwargs)

        today = timezone.localdate()
        # The plan of the activity's year: an ambassador logs in the current quarter, so this year's plan; a
        # correction keeps the activity's own year. Last year's topics (often with the same titles) are not offered.
        self.plan_year = self.instance.date.year if self.instance.pk and self.instance.date else today.year
        topics = Topic.objects.visible_to(user).published().select_related("plan").order_by("quarter", "month", "title")
        # Validation looks up any published topic of the organisation, so that a topic of another year's plan gets
        # a clear error (clean) instead of "not one of the choices"; the list offers only the plan's own year.
        self.fields["topic"].queryset = topics
        self.fields["topic"].choices = [("", "---------")] + [
            (topic.pk, topic.title) for topic in topics.filter(plan__year=self.plan_year)
        ]
        self.fields["topic"].label = _("Topic of the annual plan %(year)s") % {"year": self.plan_year}
        self.fields["topic"].required = False
        self.fields["department"].queryset = (
            Department.objects.visible_to(user).filter(pk__in=covered_ids).order_by("path")
        )
        self.fields["department"].required = len(covered_ids) > 1
        if len(covered_ids) <= 1:
            del self.fields["department"]
        self.fields["hours"].min_value = Decimal("0.1")
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("date", today)
            self.initial.setdefault("hours", Decimal("1"))
        from ambassadors.programmes.forms import add_planned_item_field

        add_planned_item_field(
            self,
            user=user,
            department_ids=covered_ids,
            year=self.plan_year,
            day=self.instance.date if self.instance.pk else today,
            topic_id=self.instance.topic_id,
        )

    def clean_date(self):
        value = self.cleaned_data["date"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(_("An activity cannot be dated in the future."))
        start, _end = quarter_bounds(today)
        if value < start and not self.allow_closed_quarters:
            raise forms.ValidationError(
                _("The quarter of this date is closed; log activities of the current quarter only (from %(start)s).")
                % {"start": short_date(start)}
            )
        return value

    def clean(self):
        data = super().clean()
        topic, day = data.get("topic"), data.get("date")
        if topic is not None and day is not None and topic.plan.year != day.year:
            self.add_error(
                "topic",
                _(
                    "This topic belongs to the annual plan of %(topic_year)s; choose a topic of the plan of "
                    "%(year)s, the year of the activity."
                )
                % {"topic_year": topic.plan.year, "year": day.year},
            )
        return data

    def clean_hours(self):
        value = self.cleaned_data["hours"]
        if value is None or value <= 0 or value > Activity.MAX_HOURS:
            raise forms.ValidationError(_("Enter a number of hours above 0 and at most 24."))
        return value


class ActivityCorrectionForm(ActivityForm):
    """An officer's correction of a logged activity, in any quarter, with a reason."""

    allow_closed_quarters = True
    reason = reason_field()


class ActivityFilterForm(forms.Form):
    PERIODS = [
        ("quarter", _("This quarter")),
        ("year", _("This year")),
        ("last_year", _("Last year")),
    ]
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("All types")), *Activity.Kind.choices], required=False)

    def period_bounds(self) -> tuple[datetime.date, datetime.date, str]:
        today = timezone.localdate()
        period = (self.cleaned_data.get("period") if self.is_valid() else "") or "quarter"
        if period == "year":
            return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31), period
        if period == "last_year":
            return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31), period
        start, end = quarter_bounds(today)
        return start, end, "quarter"


# --- Colleague feedback -------------------------------------------------------------------------


class FeedbackForm(TokenMixin, forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["category", "message", "is_anonymous"]
        labels = {"is_anonymous": _("Give this feedback anonymously")}
        help_texts = {
            "is_anonymous": _(
                "Then nothing is stored that identifies you: not your name, not your user id, not your address."
            ),
        }
        widgets = {"category": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"message": {"required": _("Write your feedback: a few words at least.")}}

    def clean_message(self):
        value = (self.cleaned_data.get("message") or "").strip()
        if len(value) < 5:
            raise forms.ValidationError(_("Write your feedback: a few words at least."))
        return value


class RecordedFeedbackForm(TokenMixin, forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["department", "category", "message"]
        labels = {"message": _("What did the colleague say?")}
        error_messages = {"message": {"required": _("Write your feedback: a few words at least.")}}
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def __init__(
        self, *args, covered_ids: frozenset[int], organisation_id: int, own_ids: frozenset[int] = frozenset(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            pk__in=covered_ids, organisation_id=organisation_id
        ).order_by("path")
        # The ambassador of one department records its feedback: that department is the answer already given.
        # Covering several, they choose (a required choice, never a preselected empty one).
        if len(own_ids) == 1 and not self.is_bound:
            self.initial.setdefault("department", next(iter(own_ids)))

    def clean_message(self):
        value = (self.cleaned_data.get("message") or "").strip()
        if len(value) < 5:
            raise forms.ValidationError(_("Write your feedback: a few words at least."))
        return value


class TriageForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["status", "answer", "topic", "procedure"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"answer": _("The department sees this answer once the item is handled.")}

    def __init__(self, *args, organisation_id: int, officer: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not officer:
            # An ambassador answers and marks handled; changing a procedure or linking a plan topic is the
            # officers' (can_follow_up_feedback).
            del self.fields["topic"], self.fields["procedure"]
            self.fields["status"].choices = [
                choice for choice in self.fields["status"].choices if choice[0] != Feedback.Status.PROCEDURE_CHANGED
            ]
            # A status an officer set stays as it is when an ambassador saves.
            if self.instance.status == Feedback.Status.PROCEDURE_CHANGED:
                del self.fields["status"]
        else:
            self._officer_fields(organisation_id)
        # An answer the department has already read is corrected with a reason, not silently overwritten.
        self.answer_given = bool(self.instance.pk and self.instance.answer and self.instance.is_handled)
        self.previous_answer = self.instance.answer if self.answer_given else ""
        if self.answer_given:
            self.fields["correction_reason"] = reason_field(
                label=_("Reason for changing the answer"),
                required=False,
                help_text=_("Required when you change an answer already given; the old answer is kept."),
            )

    def _officer_fields(self, organisation_id: int) -> None:
        self.fields["topic"].queryset = Topic.objects.filter(plan__organisation_id=organisation_id).select_related(
            "plan"
        )
        self.fields["topic"].label_from_instance = lambda t: f"{t.plan.year} · {t.title}"

    def clean(self):
        data = super().clean()
        data.setdefault("status", self.instance.status)
        if data.get("status") in Feedback.HANDLED and not (data.get("answer") or "").strip():
            self.add_error("answer", _("Write an answer before you mark the feedback as handled."))
        changed = self.answer_given and (data.get("answer") or "").strip() != self.previous_answer.strip()
        if changed and not (data.get("correction_reason") or "").strip():
            self.add_error("correction_reason", MISSING_REASON)
        return data


FEEDBACK_SORTS = {
    "ontvangen": "created_at",
    "afdeling": "department__name",
    "categorie": "category",
    "status": "status",
}


class FeedbackFilterForm(ListFilters):
    sorts = FEEDBACK_SORTS
    default_sort = "-ontvangen"

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Feedback.Status.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All categories")), *Feedback.Category.choices], required=False
    )
    mine = forms.BooleanField(label=_("Answered or recorded by me"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def filter(self, queryset, data: dict):
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("mine"):
            # Mine: what I answered (officers) or wrote down from a conversation (ambassadors).
            queryset = queryset.filter(Q(answered_by=self.user) | Q(recorded_by=self.user))
        return queryset


NOMINATION_SORTS = {
    "kandidaat": "nominee__full_name",
    "afdeling": "department__name",
    "uren": "hours_available",
    "ingediend": "created_at",
    # Open first, then appointed, then declined (the order the officers work in).
    "status": Case(
        When(status=Nomination.Status.OPEN, then=Value(0)),
        When(status=Nomination.Status.ACCEPTED, then=Value(1)),
        default=Value(2),
    ),
}


class NominationFilterForm(ListFilters):
    sorts = NOMINATION_SORTS
    default_sort = "status"

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Nomination.Status.choices], required=False
    )
    mine = forms.BooleanField(label=_("Decided by me"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def filter(self, queryset, data: dict):
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("mine"):
            queryset = queryset.filter(decided_by=self.user)
        return queryset


# --- Community ----------------------------------------------------------------------------------


class EventForm(TokenMixin, forms.ModelForm):
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Event
        fields = ["kind", "title", "starts_at", "ends_at", "location", "online_url", "capacity", "agenda", "notes"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"].min_value = 1
        if self.instance.pk is None:
            del self.fields["notes"]

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The event must end after it starts."))
        if not data.get("location") and not data.get("online_url"):
            self.add_error("location", _("Give a place or an online link."))
        capacity = data.get("capacity")
        if capacity is not None and capacity < 1:
            self.add_error("capacity", _("The capacity is at least 1, or empty for no limit."))
        return data


# --- Recognition --------------------------------------------------------------------------------


class RecognitionForm(TokenMixin, forms.ModelForm):
    ambassador = forms.ModelChoiceField(label=_("Ambassador"), queryset=User.objects.none())
    send_mail = forms.BooleanField(label=_("Also send it to the ambassador by e-mail"), required=False, initial=True)

    class Meta:
        model = Recognition
        fields = ["ambassador", "kind", "title", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, ambassadors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ambassador"].queryset = ambassadors


class RecognitionEditForm(forms.ModelForm):
    class Meta:
        model = Recognition
        fields = ["kind", "title", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}


# --- Corrections ---------------------------------------------------------------------------------


class AppointmentCorrectionForm(forms.Form):
    """End a term early or extend it (and correct the hours agreed), with a reason."""

    term_end = forms.DateField(
        label=_("Term end"),
        required=False,
        widget=DateInput(),
        help_text=_("Earlier to end the term, later to extend it; empty for no end date."),
    )
    hours_per_month = forms.DecimalField(
        label=_("Hours per month agreed with the manager"),
        min_value=Decimal("0.5"),
        max_value=Decimal("160"),
        decimal_places=1,
    )
    reason = reason_field()

    def __init__(self, *args, appointment: Appointment, **kwargs):
        super().__init__(*args, **kwargs)
        self.appointment = appointment
        self.initial.setdefault("term_end", appointment.term_end)
        self.initial.setdefault("hours_per_month", appointment.hours_per_month)

    def clean_term_end(self):
        value = self.cleaned_data.get("term_end")
        if value is not None and value < self.appointment.term_start:
            raise forms.ValidationError(
                _("The term cannot end before it starts (%(start)s).")
                % {"start": self.appointment.term_start.strftime("%d-%m-%Y")}
            )
        return value

    def clean(self):
        data = super().clean()
        unchanged = (
            "term_end" in data
            and data["term_end"] == self.appointment.term_end
            and data.get("hours_per_month") == self.appointment.hours_per_month
        )
        if unchanged:
            raise forms.ValidationError(_("Nothing was changed: change the term end or the hours, or cancel."))
        return data


class PointsSchemeForm(forms.Form):
    """Points per activity and per hour for each kind, and up to MAX_LEVELS named levels with their thresholds."""

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = list(Activity.Kind.choices)
        for kind, label in self.kinds:
            per_activity, per_hour = scheme.points.get(kind, [0, 0])
            self.fields[f"activity_{kind}"] = forms.IntegerField(
                label=_("%(kind)s: points per activity") % {"kind": label},
                min_value=0,
                max_value=1000,
                initial=per_activity,
            )
            self.fields[f"hour_{kind}"] = forms.IntegerField(
                label=_("%(kind)s: points per hour") % {"kind": label}, min_value=0, max_value=1000, initial=per_hour
            )
        levels = sorted(scheme.levels or [], key=lambda row: row["points"])
        for index in range(MAX_LEVELS):
            row = levels[index] if index < len(levels) else {"name": "", "points": None}
            self.fields[f"level_name_{index}"] = forms.CharField(
                label=_("Level %(number)s: name") % {"number": index + 1},
                max_length=60,
                required=False,
                initial=row["name"],
            )
            self.fields[f"level_points_{index}"] = forms.IntegerField(
                label=_("Level %(number)s: from points") % {"number": index + 1},
                min_value=0,
                max_value=1000000,
                required=False,
                initial=row["points"],
            )
        self.level_count = MAX_LEVELS

    def clean(self) -> dict:
        data = super().clean()
        levels, seen = [], set()
        for index in range(self.level_count):
            name = (data.get(f"level_name_{index}") or "").strip()
            points = data.get(f"level_points_{index}")
            if not name and points is None:
                continue
            if not name:
                self.add_error(f"level_name_{index}", _("Give the level a name."))
            elif points is None:
                self.add_error(f"level_points_{index}", _("Give the points from which the level applies."))
            elif points in seen:
                self.add_error(f"level_points_{index}", _("Two levels cannot start at the same number of points."))
            else:
                seen.add(points)
                levels.append({"name": name, "points": points})
        if not levels and not self.errors:
            self.add_error("level_name_0", _("Give at least one level."))
        data["levels"] = sorted(levels, key=lambda row: row["points"])
        data["points"] = {
            kind: [data.get(f"activity_{kind}") or 0, data.get(f"hour_{kind}") or 0] for kind, _label in self.kinds
        }
        return data
