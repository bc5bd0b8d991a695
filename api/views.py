"""The REST API (``/api/v1/``): thin views over the apps' selectors and services, one organisation per token."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from accounts import hr_import
from api import selectors, services
from api.authentication import HasScope, SchemaAccess, TokenAuthentication, TokenRateThrottle
from api.models import ApiToken, Scope
from api.problems import PROBLEM_CONTENT_TYPE, Problem
from api.serializers import (
    BudgetSerializer,
    DataLeakHandoverSerializer,
    DataLeakReceiptSerializer,
    DepartmentFiguresSerializer,
    KpiSerializer,
    PeopleImportResultSerializer,
    PeopleImportSerializer,
    PlannedItemSerializer,
    ProblemSerializer,
    RegisterEntrySerializer,
    TopicSerializer,
)
from core import audit
from core.models import AuditEntry

# Idempotency keys are the client's; within an organisation the same key always names the same hand-over.
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"


def problems(*codes: int) -> dict:
    # The schema is the integrators' reference, in English; the problem bodies themselves follow Accept-Language.
    described = {
        400: "The request or a filter is not valid.",
        401: "No token, or a token that is unknown, expired or revoked.",
        403: "The token lacks the scope.",
        404: "No such page.",
        422: "The request has the documented form, but what it names is unknown or breaks a rule; see errors.",
        429: "Too many requests; see Retry-After.",
    }
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=described.get(code, ""))
        for code in codes
    }


READ_PROBLEMS = problems(400, 401, 403, 404, 422, 429)
PERIOD = OpenApiParameter(
    "period",
    str,
    description="A year (2026) or a quarter (2026-Q3).",
    pattern=selectors.PERIOD_PATTERN,
)
DEPARTMENT = OpenApiParameter(
    "department",
    {"type": "integer", "minimum": 1},
    description=(
        "A department's id: only that department and the departments below it. "
        "An id that is not a department of the organisation is answered with 422."
    ),
)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def record_use(request, response) -> None:
    """Every call in the audit trail: one entry, the token (never its secret), what was asked and the answer."""
    token = request.auth if isinstance(request.auth, ApiToken) else getattr(request, "_api_token", None)
    refusal = getattr(request, "_api_refusal", "")
    where = f"{request.method} {request.path}"
    if refusal or response.status_code in (401, 403, 429):
        action, result = "api_refused", AuditEntry.Result.DENIED
        detail = f"{refusal or response.status_code} {where}"
    else:
        action = "api_request"
        result = AuditEntry.Result.SUCCESS if response.status_code < 400 else AuditEntry.Result.FAILURE
        detail = f"{where} {response.status_code}"
    audit.record(
        action,
        request=request._request,
        obj=token,
        object_type="api.apitoken" if token is None else "",
        object_id="" if token is not None else "-",
        result=result,
        detail=detail,
    )


class ApiView(GenericAPIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [TokenRateThrottle]
    pagination_class = Pagination
    required_scope: str = ""
    # Clients may keep an answer and ask again with If-None-Match; shared caches may not keep it.
    cache_control = "private, no-cache"

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        services.token_touch(request.auth)

    @property
    def organisation(self):
        return self.request.auth.organisation

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record_use(request, response)
        response["Cache-Control"] = self.cache_control
        patch_vary_headers(response, ["Authorization", "Accept-Language"])
        return response

    def page(self, queryset) -> list:
        return self.paginate_queryset(queryset)


class TopicList(ApiView):
    """The published topics of a quarter (default: this quarter) with their materials, as the intranet shows them."""

    required_scope = Scope.TOPICS_READ
    serializer_class = TopicSerializer

    @extend_schema(
        operation_id="topics_list",
        parameters=[PERIOD, DEPARTMENT],
        responses={200: TopicSerializer(many=True), **READ_PROBLEMS},
    )
    def get(self, request):
        organisation_id = request.auth.organisation_id
        when = selectors.period(request.query_params.get("period"))
        within = selectors.department(organisation_id, request.query_params.get("department"))
        page = self.page(selectors.topics(organisation_id, when, within))
        return self.get_paginated_response(TopicSerializer(page, many=True).data)


class PlannedItemList(ApiView):
    """The department programmes' planned items of a period (default: this year), each with its state."""

    required_scope = Scope.TOPICS_READ
    serializer_class = PlannedItemSerializer

    @extend_schema(
        operation_id="planned_items_list",
        parameters=[PERIOD, DEPARTMENT],
        responses={200: PlannedItemSerializer(many=True), **READ_PROBLEMS},
    )
    def get(self, request):
        organisation_id = request.auth.organisation_id
        when = selectors.period(request.query_params.get("period"), default="year")
        within = selectors.department(organisation_id, request.query_params.get("department"))
        page = self.page(selectors.planned_items(organisation_id, when, within))
        return self.get_paginated_response(PlannedItemSerializer(page, many=True).data)


class KpiList(ApiView):
    """Goals' KPIs with baseline, target and the value over the period (default: this year)."""

    required_scope = Scope.KPIS_READ
    serializer_class = KpiSerializer

    @extend_schema(
        operation_id="kpis_list",
        parameters=[PERIOD, DEPARTMENT],
        responses={200: KpiSerializer(many=True), **READ_PROBLEMS},
    )
    def get(self, request):
        organisation = self.organisation
        when = selectors.period(request.query_params.get("period"), default="year")
        within = selectors.department(organisation.pk, request.query_params.get("department"))
        page = self.page(selectors.kpis(organisation.pk, when))
        selectors.kpi_values(page, organisation, when, within)
        return self.get_paginated_response(KpiSerializer(page, many=True).data)


class BudgetView(ApiView):
    """The year's budget (default: this year): totals per unit and per unit and category, never euros plus hours."""

    required_scope = Scope.KPIS_READ
    serializer_class = BudgetSerializer
    pagination_class = None

    @extend_schema(operation_id="budget_read", parameters=[PERIOD], responses={200: BudgetSerializer, **READ_PROBLEMS})
    def get(self, request):
        when = selectors.period(request.query_params.get("period"), default="year")
        figures = selectors.budget(request.auth.organisation_id, when)
        totals = [{"unit": unit, **total} for unit, total in figures.totals.items()]
        return Response(BudgetSerializer({"year": when.year, "totals": totals, "categories": figures.categories}).data)


class DepartmentFigureList(ApiView):
    """The dashboards' counts per department in the period (default: this quarter); never contents."""

    required_scope = Scope.KPIS_READ
    serializer_class = DepartmentFiguresSerializer

    @extend_schema(
        operation_id="department_figures_list",
        parameters=[PERIOD, DEPARTMENT],
        responses={200: DepartmentFiguresSerializer(many=True), **READ_PROBLEMS},
    )
    def get(self, request):
        organisation_id = request.auth.organisation_id
        when = selectors.period(request.query_params.get("period"))
        within = selectors.department(organisation_id, request.query_params.get("department"))
        page = self.page(selectors.departments(organisation_id, within))
        figures = selectors.department_figures(organisation_id, page, when)
        return self.get_paginated_response(DepartmentFiguresSerializer(figures, many=True).data)


class RegisterList(ApiView):
    """The art. 33(5) register: every data leak, notified or not, without the reporters' personal details."""

    # Data leaks: nobody keeps a copy, not even the client.
    cache_control = "no-store"

    required_scope = Scope.REGISTER_READ
    serializer_class = RegisterEntrySerializer

    @extend_schema(
        operation_id="register_list",
        parameters=[
            OpenApiParameter(
                "period",
                str,
                description="A year (2026) or a quarter (2026-Q3); all when absent.",
                pattern=selectors.PERIOD_PATTERN,
            ),
            DEPARTMENT,
        ],
        responses={200: RegisterEntrySerializer(many=True), **READ_PROBLEMS},
    )
    def get(self, request):
        organisation_id = request.auth.organisation_id
        value = request.query_params.get("period")
        when = selectors.period(value) if value is not None else None
        within = selectors.department(organisation_id, request.query_params.get("department"))
        page = self.page(selectors.register(organisation_id, when, within))
        return self.get_paginated_response(RegisterEntrySerializer(page, many=True).data)


class DataLeakHandover(ApiView):
    """Hand over a suspected data leak: the same checks as the report form, saved at once, answered with its reference.

    A retried call with the same ``Idempotency-Key`` stores nothing new and answers with the first call's receipt.
    """

    required_scope = Scope.DATALEAKS_WRITE
    serializer_class = DataLeakHandoverSerializer

    @extend_schema(
        operation_id="dataleaks_create",
        request=DataLeakHandoverSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=True,
                pattern=IDEMPOTENCY_KEY_PATTERN,
                description="Your own unique key for this hand-over (e.g. the ticket number); a retry sends the same.",
            )
        ],
        responses={
            201: OpenApiResponse(DataLeakReceiptSerializer, description="Saved; the Privacy Officer is alerted."),
            200: OpenApiResponse(DataLeakReceiptSerializer, description="Already saved under this key."),
            **problems(400, 401, 403, 422, 429),
        },
    )
    def post(self, request):
        organisation_id = request.auth.organisation_id
        key = request.headers.get("Idempotency-Key", "")
        if not re.match(IDEMPOTENCY_KEY_PATTERN, key):
            message = _("Send an Idempotency-Key header of 1 to 255 visible characters.")
            raise Problem(400, "idempotency-key", _("The Idempotency-Key header is missing or not valid."), message)
        leak, created = services.dataleak_handover(
            organisation_id=organisation_id,
            key=key,
            payload=request.data,
            ip=audit.client_ip(request._request) or None,
        )
        return Response(DataLeakReceiptSerializer(leak).data, status=201 if created else 200)


class PeopleImport(ApiView):
    """The HR import as a call: a dry run by default; with ``dry_run: false`` every row is written or none."""

    required_scope = Scope.PEOPLE_WRITE
    serializer_class = PeopleImportSerializer

    @extend_schema(
        operation_id="people_import",
        request=PeopleImportSerializer,
        responses={200: PeopleImportResultSerializer, **problems(400, 401, 403, 422, 429)},
    )
    def post(self, request):
        serializer = PeopleImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dry_run = serializer.validated_data["dry_run"]
        rows = [
            {column: str(value).strip() for column, value in row.items()} for row in serializer.validated_data["rows"]
        ]
        with transaction.atomic():
            plan = hr_import.plan_import(self.organisation, rows, apply=not dry_run, officers="refuse")
        # Lines count from 2 in a file (1 is the header); here rows count from 1.
        errors = [{"row": error.line - 1, "message": error.message} for error in plan.errors]
        audit.record(
            "api_people_import",
            request=request._request,
            obj=request.auth,
            detail=(
                f"dry_run={dry_run} applied={plan.applied} created={len(plan.users_created)} "
                f"updated={len(plan.users_updated)} errors={len(errors)}"
            ),
        )
        if not dry_run and not plan.applied:
            raise Problem(
                422,
                "import-invalid",
                _("Nothing was imported: some rows are not valid."),
                _("Correct the rows in errors and send them all again."),
                errors,
            )
        result = {
            "dry_run": dry_run,
            "applied": plan.applied,
            "departments_created": plan.departments_created,
            "departments_updated": plan.departments_updated,
            "users_created": plan.users_created,
            "users_updated": plan.users_updated,
            "users_unchanged": plan.users_unchanged,
            "errors": errors,
        }
        return Response(PeopleImportResultSerializer(result).data)


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: for a token of any scope, or an officer signed in to read the documentation."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [SchemaAccess]
    throttle_classes = [TokenRateThrottle]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(request.auth, ApiToken) or getattr(request, "_api_refusal", ""):
            record_use(request, response)
        return response
