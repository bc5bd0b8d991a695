"""What the API returns and accepts. The register's fields are written once, here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.models import AffectedEstimate, DataKind, DataLeak, Ongoing
from incidents.state import APStatus, LeakState
from programme.kpi_status import Direction, Status
from programme.models import BudgetLine


def json_type(field: serializers.Field) -> tuple[type, str] | None:
    """The JSON type the schema documents for a field of a request body (None: the field checks its own)."""
    if isinstance(field, serializers.BooleanField):
        return bool, "boolean"
    if isinstance(field, serializers.IntegerField):
        return int, "integer"
    if isinstance(field, (serializers.ListField, serializers.ListSerializer, serializers.MultipleChoiceField)):
        return list, "array"
    if isinstance(field, (serializers.CharField, serializers.ChoiceField, serializers.DateTimeField)):
        return str, "string"
    return None


def type_error(field: serializers.Field, value: Any) -> str | None:
    expected = json_type(field)
    if value is None or expected is None:
        return None
    kind, name = expected
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        return str(_("Give a JSON %(type)s here.") % {"type": name})
    if isinstance(field, serializers.ListField) and field.child is not None:
        for item in value:
            error = type_error(field.child, item)
            if error:
                return error
    return None


class TypedInput:
    # A request body's values of the JSON type the schema documents, or a 400: DRF on its own reads ``0`` as the
    # text "0" or as false and ``"5"`` as 5, so a call that the schema calls wrong would pass. (A comment, not a
    # docstring: drf-spectacular would put a docstring in every serializer's description.)

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            for name, field in self.fields.items():
                if not field.read_only and name in data:
                    error = type_error(field, data[name])
                    if error:
                        errors[name] = [error]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class DepartmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MaterialSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The link, or the download page of an uploaded file.")
    kind = serializers.SerializerMethodField()

    def get_url(self, material) -> str:
        if material.url:
            return material.url
        return settings.SITE_URL + reverse("programme:material", args=[material.pk])

    def get_kind(self, material) -> str:
        return "link" if material.url else "file"


class TopicSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    key_message = serializers.CharField()
    why_it_matters = serializers.CharField()
    target_audience = serializers.CharField()
    channels = serializers.ListField(child=serializers.CharField())
    year = serializers.IntegerField(source="plan.year")
    quarter = serializers.IntegerField(source="period_quarter")
    month = serializers.IntegerField(allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    department = DepartmentRefSerializer(allow_null=True)
    materials = MaterialSerializer(many=True)
    updated_at = serializers.DateTimeField()


class PlannedItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    department = DepartmentRefSerializer(source="programme.department")
    year = serializers.IntegerField(source="programme.year")
    programme_status = serializers.CharField(source="programme.status")
    title = serializers.CharField()
    topic_id = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField()
    quarter = serializers.IntegerField(source="period_quarter")
    month = serializers.IntegerField(allow_null=True)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    hours_done = serializers.DecimalField(source="done_hours", max_digits=7, decimal_places=1)
    state = serializers.CharField()


class GoalRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    year = serializers.IntegerField()


class MeasurementSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)
    measured_on = serializers.DateField()


class KpiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    goal = GoalRefSerializer()
    measure = serializers.CharField(help_text="The computed measure, or empty for a KPI measured by hand.")
    unit = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, coerce_to_string=False)
    target = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, coerce_to_string=False)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    value = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=False,
        help_text="The value over the requested period (within the KPI's own period); null when not measured.",
    )
    direction = serializers.ChoiceField(choices=Direction.choices, help_text="Whether higher or lower is better.")
    current_value = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=False,
        help_text="The KPI's value today over its own period: what its status judges.",
    )
    status = serializers.ChoiceField(
        source="state.status",
        choices=Status.choices,
        allow_null=True,
        help_text="On track, at risk or off track today, as the KPI's page and the dashboards say; null without a "
        "target or a value.",
    )
    expected = serializers.DecimalField(
        source="state.expected",
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=False,
        help_text="The value expected today on the way from the baseline to the target.",
    )
    on_target = serializers.BooleanField(
        source="state.on_track", allow_null=True, help_text="Whether the status is on track; null without a status."
    )
    period_ended = serializers.BooleanField(source="state.period_ended", help_text="The KPI's period is over.")
    measurements = MeasurementSerializer(
        many=True, source="period_measurements", help_text="Measurements by hand within the requested period."
    )


class BudgetTotalSerializer(serializers.Serializer):
    unit = serializers.ChoiceField(choices=BudgetLine.Unit.choices, help_text="Euros or hours: never added up.")
    planned = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    used = serializers.DecimalField(source="actual", max_digits=14, decimal_places=2, coerce_to_string=False)
    remaining = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    overrun = serializers.BooleanField()


class BudgetCategorySerializer(BudgetTotalSerializer):
    category = serializers.ChoiceField(choices=BudgetLine.Category.choices)
    overrun = None


class BudgetSerializer(serializers.Serializer):
    """The year's budget: totals per unit (euros, hours) and per unit and category, as the budget page shows."""

    year = serializers.IntegerField()
    totals = BudgetTotalSerializer(many=True)
    categories = BudgetCategorySerializer(many=True)


class DepartmentFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    level = serializers.CharField()
    parent_id = serializers.IntegerField(allow_null=True)
    activities = serializers.IntegerField()
    feedback = serializers.IntegerField()
    dataleak_reports = serializers.IntegerField()
    survey_responses = serializers.IntegerField(
        allow_null=True, help_text="Null when fewer people answered than the surveys' minimum group size."
    )
    survey_mean_score = serializers.DecimalField(
        max_digits=4, decimal_places=2, allow_null=True, coerce_to_string=False
    )


class RegisterEntrySerializer(serializers.Serializer):
    """One entry of the art. 33(5) register: the facts, effects and remedial action, never who reported it."""

    reference = serializers.CharField()
    reported_at = serializers.DateTimeField(source="created_at")
    aware_at = serializers.DateTimeField()
    department = DepartmentRefSerializer()
    category = serializers.CharField()
    status = serializers.ChoiceField(
        choices=LeakState.choices, source="state", help_text="Derived from the recorded facts (incidents.state)."
    )
    ap_status = serializers.ChoiceField(
        choices=APStatus.choices, help_text="Notified provisionally or completely, withdrawn, or empty: not notified."
    )
    occurred_at = serializers.DateTimeField()
    discovered_at = serializers.DateTimeField()
    personal_data = serializers.SerializerMethodField()
    persons = serializers.SerializerMethodField()
    breach_nature = serializers.SerializerMethodField()
    severity = serializers.CharField()
    consequences = serializers.CharField()
    measures_taken = serializers.CharField()
    measures_planned = serializers.CharField()
    ap_decision = serializers.CharField()
    ap_decision_reason = serializers.CharField()
    ap_notified_at = serializers.SerializerMethodField()
    ap_reference = serializers.SerializerMethodField()
    late_reason = serializers.CharField()
    subjects_decision = serializers.CharField()
    subjects_decision_reason = serializers.CharField()
    subjects_exemption = serializers.CharField()
    subjects_informed = serializers.BooleanField()
    cause = serializers.CharField()
    lesson = serializers.CharField()
    closed_at = serializers.DateTimeField(
        allow_null=True, source="ended_at", help_text="When it was closed, as a data leak or as no data leak."
    )

    def get_personal_data(self, leak) -> list[str]:
        return list(leak.personal_data_categories or leak.data_kinds or [])

    def get_persons(self, leak) -> str:
        return leak.persons_display or leak.affected_estimate

    def get_breach_nature(self, leak) -> list[str]:
        names = ("confidentiality", "integrity", "availability")
        return [name for name in names if getattr(leak, f"breach_{name}")]

    def _first(self, leak):
        return leak.initial_notifications[0] if leak.initial_notifications else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_ap_notified_at(self, leak) -> str | None:
        first = self._first(leak)
        return serializers.DateTimeField().to_representation(first.notified_at) if first else None

    def get_ap_reference(self, leak) -> str:
        first = self._first(leak)
        return first.ap_reference if first else ""


@extend_schema_field({"type": "string", "format": "email", "maxLength": 254})
class EmailText(serializers.CharField):
    """An e-mail address, checked where it is used (the report form, the lookup of the reporter): a text the schema's
    ``format: email`` allows but Django's stricter check refuses (``a@b.c``) is then a 422 with the form's message,
    where a serializer's EmailField would answer 400 to a request the schema calls valid."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=254, **kwargs)


class DataLeakHandoverSerializer(TypedInput, serializers.ModelSerializer):
    """A suspected data leak taken in by another system, e.g. the service desk after a phone call: the report form's
    fields (``DataLeak.INTAKE_FIELDS``), checked again by that form, and who reported it."""

    reporter_email = EmailText(
        allow_blank=True,
        help_text="The employee who reported it (an active employee of the organisation); they get the confirmation.",
    )
    contact_email = EmailText(required=False, allow_blank=True, default="")
    # The id only: the report form checks that the department is the organisation's.
    department = serializers.IntegerField(min_value=1, help_text="The id of the department involved.")
    data_kinds = serializers.ListField(child=serializers.ChoiceField(choices=DataKind.choices), required=False)

    class Meta:
        model = DataLeak
        fields = ["reporter_email", *DataLeak.INTAKE_FIELDS]
        extra_kwargs = {
            "description": {"max_length": 20000},
            "affected_estimate": {"default": AffectedEstimate.UNKNOWN},
            "ongoing": {"default": Ongoing.UNKNOWN},
            "actions_taken": {"max_length": 20000, "default": ""},
            "contact_phone": {"default": ""},
        }


class DataLeakReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=LeakState.choices, source="state")
    reported_at = serializers.DateTimeField(source="created_at")
    aware_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(help_text="aware_at + 72 hours: the deadline for notifying the AP.")


class EmployeeRowSerializer(TypedInput, serializers.Serializer):
    """One employee as the HR import reads it; the same columns as the file (English names)."""

    email = serializers.CharField(max_length=254)
    name = serializers.CharField(max_length=200)
    department_code = serializers.CharField(max_length=50)
    department = serializers.CharField(max_length=200)
    parent_code = serializers.CharField(max_length=50, required=False, allow_blank=True)
    level = serializers.CharField(max_length=20, required=False, allow_blank=True)
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    employee_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    manager = serializers.CharField(max_length=10, required=False, allow_blank=True, help_text="ja/nee (yes/no)")
    active = serializers.CharField(max_length=10, required=False, allow_blank=True, help_text="ja/nee, default ja")


class PeopleImportSerializer(TypedInput, serializers.Serializer):
    dry_run = serializers.BooleanField(default=True, help_text="Only report what would change (the default).")
    # A ListField, so the schema says minItems/maxItems as the code checks them (an empty list is refused: 400).
    rows = serializers.ListField(child=EmployeeRowSerializer(), allow_empty=False, min_length=1, max_length=50000)


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The position of the row in ``rows``, from 1.")
    message = serializers.CharField()


class PeopleImportResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField()
    departments_created = serializers.ListField(child=serializers.CharField())
    departments_updated = serializers.ListField(child=serializers.CharField())
    users_created = serializers.ListField(child=serializers.CharField())
    users_updated = serializers.ListField(child=serializers.CharField())
    users_unchanged = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    errors = serializers.JSONField(required=False)
