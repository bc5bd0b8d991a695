"""schemathesis against the project's own OpenAPI schema: no 5xx, every answer as documented, tokens refused.

The schema is generated from the code (as ``/api/schema/`` serves it) and the
cases are sent in process through the WSGI application. The number of
examples per operation is bounded so the suite stays quick.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.config import PositiveDataAcceptanceConfig
from schemathesis.generation import GenerationMode

from api.models import Scope

MARK = "GEHEIM-VAN-VOORBEELD"
EXAMPLES = 8

spec = SchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(spec, default=str)))
schema.app = get_wsgi_application()
# Explicit examples and bounded random cases; the coverage phase would add every boundary case of every field.
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
# Data that fits the schema and data that does not: what the schema refuses the API must refuse (400), what it
# allows the API must accept, so a schema and a validation that disagree fail here.
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    # The test sends the tokens itself (a good one, then each kind of bad one); a generated header would be dropped.
    with_security_parameters=False,
)
# Every check schemathesis has. A request of the documented form may still name a department or a reporter the
# organisation does not have, or break a rule of the report form: that is a 422 (the schema documents it), not a 400.
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=[*PositiveDataAcceptanceConfig().expected_statuses, "422"]
)
SCOPE_OF = {
    "topics_list": Scope.TOPICS_READ,
    "kpis_list": Scope.KPIS_READ,
    "budget_read": Scope.KPIS_READ,
    "planned_items_list": Scope.TOPICS_READ,
    "department_figures_list": Scope.KPIS_READ,
    "register_list": Scope.REGISTER_READ,
    "dataleaks_create": Scope.DATALEAKS_WRITE,
    "people_import": Scope.PEOPLE_WRITE,
}


def test_the_schema_is_valid_openapi_and_every_operation_has_a_scope():
    from drf_spectacular.validation import validate_schema

    validate_schema(json.loads(json.dumps(spec, default=str)))
    operations = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert operations == set(SCOPE_OF)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app closes old connections per request; Django's test client switches that off, and so do we."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(org, other_org, department_a, other_department, staff_a, make_token):
    """Data of ours with a marker in it, and tokens of every kind."""
    from django.utils import timezone

    from ambassadors.tests.factories import ActivityFactory
    from incidents.tests.factories import DataLeakFactory
    from programme.models import TopicMaterial
    from programme.tests.factories import AnnualPlanFactory, GoalFactory, KpiFactory, TopicFactory

    today = timezone.localdate()
    plan = AnnualPlanFactory(organisation=org, status="published")
    topic = TopicFactory(plan=plan, status="published", quarter=(today.month - 1) // 3 + 1, title=MARK)
    TopicMaterial.objects.create(topic=topic, title=MARK, url="https://example.org/poster.pdf")
    KpiFactory(goal=GoalFactory(organisation=org, title=MARK), name=MARK)
    DataLeakFactory(department=department_a, consequences=MARK, lesson=MARK)
    ActivityFactory(organisation=org, user=staff_a, department=department_a, date=today)
    good = make_token(org)[1]
    return {
        "good": good,
        "expired": make_token(org, expires_in_days=-1)[1],
        "revoked": make_token(org, revoked=True)[1],
        "other": make_token(other_org)[1],
        "scopes": {scope: make_token(org, [s for s in Scope if s != scope])[1] for scope in Scope},
    }


def _content_type(response) -> str:
    headers = {name.lower(): value for name, value in response.headers.items()}
    value = headers.get("content-type", "")
    return value[0] if isinstance(value, list) else value


def _counts(org) -> tuple[int, int, int]:
    from accounts.models import Department, User
    from incidents.models import DataLeak

    return (
        DataLeak.objects.filter(organisation=org).count(),
        User.objects.filter(organisation=org).count(),
        Department.objects.filter(organisation=org).count(),
    )


def _hostile(case) -> bool:
    from django.test import RequestFactory

    from core.middleware import QueryStringGuardMiddleware

    request = RequestFactory().get("/api/", case.query or {})
    return bool(request.META.get("QUERY_STRING")) and not QueryStringGuardMiddleware._acceptable(request)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_keeps_its_schema_and_refuses_bad_tokens(case, world, org, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_token": "100000/min"}}
    settings.API_AUTH_FAILURES_PER_MINUTE = 100000
    # Each call below sends its own Authorization (or none); the generated one is dropped.
    case.headers = {
        **{k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"},
        "Accept-Language": "en",
    }

    case.call_and_validate(headers={"Authorization": f"Bearer {world['good']}"})

    wrong_scope = world["scopes"][SCOPE_OF[case.operation.definition.raw["operationId"]]]
    refused = {
        "missing": {},
        "expired": {"Authorization": f"Bearer {world['expired']}"},
        "revoked": {"Authorization": f"Bearer {world['revoked']}"},
        "wrong scope": {"Authorization": f"Bearer {wrong_scope}"},
    }
    for label, headers in refused.items():
        response = case.call(headers=headers)
        # 400: a query string that core.middleware.QueryStringGuardMiddleware refuses is answered before any
        # token is read (refused all the same, nothing read); every other call must fail on its token.
        assert response.status_code in (400, 401, 403) if _hostile(case) else (401, 403), (
            f"{label}: {response.status_code}"
        )
        assert _content_type(response).startswith("application/problem+json"), label
        assert MARK not in response.text, label

    before = _counts(org)
    response = case.call(headers={"Authorization": f"Bearer {world['other']}"})
    assert response.status_code < 500
    assert MARK not in response.text
    assert _counts(org) == before, "another organisation's token changed this organisation's data"
