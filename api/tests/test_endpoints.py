"""The read endpoints: their data, their filters, pagination, ETags, fixed query counts, nothing of others."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from api.models import Scope
from incidents.tests.factories import DataLeakFactory
from programme.models import TopicMaterial
from programme.tests.factories import AnnualPlanFactory, GoalFactory, KpiFactory, TopicFactory


def this_quarter() -> int:
    return (timezone.localdate().month - 1) // 3 + 1


def _topics(org, count: int, department=None) -> None:
    plan = AnnualPlanFactory(organisation=org, status="published")
    for n in range(count):
        topic = TopicFactory(plan=plan, status="published", quarter=this_quarter(), department=department)
        TopicMaterial.objects.create(topic=topic, title=f"Poster {n}", url="https://example.org/poster.pdf")
        TopicMaterial.objects.create(topic=topic, title=f"Link {n}", url="https://example.org/link")


@pytest.mark.django_db
def test_topics_of_this_quarter_with_their_materials(org, other_org, make_token, api, department_a):
    _topics(org, 2)
    plan = AnnualPlanFactory(organisation=org, status="published")
    TopicFactory(plan=plan, status="draft", quarter=this_quarter(), title="Concept")
    _topics(other_org, 1)
    body = api(make_token(org, [Scope.TOPICS_READ])[1]).get("/api/v1/topics/").json()
    assert body["count"] == 2
    assert {m["title"] for m in body["results"][0]["materials"]} == {"Link 0", "Poster 0"}
    assert all(r["quarter"] == this_quarter() and r["year"] == timezone.localdate().year for r in body["results"])


@pytest.mark.django_db
def test_topics_filter_by_period_and_department(org, make_token, api, department_a, department_b):
    _topics(org, 1, department=department_a)
    client = api(make_token(org, [Scope.TOPICS_READ])[1])
    assert client.get("/api/v1/topics/", {"department": department_b.pk}).json()["count"] == 0
    assert client.get("/api/v1/topics/", {"department": department_a.pk}).json()["count"] == 1
    other_quarter = this_quarter() % 4 + 1
    year = timezone.localdate().year
    assert client.get("/api/v1/topics/", {"period": f"{year}-Q{other_quarter}"}).json()["count"] == 0
    assert client.get("/api/v1/topics/", {"period": str(year)}).json()["count"] == 1
    bad = client.get("/api/v1/topics/", {"period": "vorig jaar"})
    assert bad.status_code == 400 and "period" in bad.json()["errors"]


@pytest.mark.django_db
def test_a_department_of_another_organisation_is_unknown(org, make_token, api, other_department):
    response = api(make_token(org, [Scope.TOPICS_READ])[1]).get("/api/v1/topics/", {"department": other_department.pk})
    # The request has the documented form (an id from 1); what it names is unknown: 422, as the schema says.
    assert response.status_code == 422 and response.json()["type"].endswith("unknown-department")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"period": ""},
        {"period": "2026\n"},
        {"period": "1999"},
        {"department": "0"},
        {"department": "-3"},
        {"department": ""},
    ],
)
def test_what_the_schema_refuses_is_refused(org, make_token, api, query):
    response = api(make_token(org, [Scope.TOPICS_READ])[1]).get("/api/v1/topics/", query)
    assert response.status_code == 400 and set(response.json()["errors"]) == set(query)


@pytest.mark.django_db
def test_the_schema_says_what_the_validation_does():
    from drf_spectacular.generators import SchemaGenerator

    spec = SchemaGenerator().get_schema(request=None, public=True)
    parameters = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/topics/"]["get"]["parameters"]}
    assert parameters["department"]["minimum"] == 1
    assert parameters["period"]["pattern"].startswith("^(20")
    request = spec["components"]["schemas"]["PeopleImportRequest"]["properties"]
    assert request["rows"]["minItems"] == 1 and request["rows"]["maxItems"] == 50000
    handover = spec["components"]["schemas"]["DataLeakHandoverRequest"]["properties"]
    assert handover["description"]["maxLength"] == 20000 and "\\u0000" in handover["description"]["pattern"]


@pytest.mark.django_db
def test_reads_carry_an_etag_and_answer_304_when_unchanged(org, make_token, api):
    _topics(org, 1)
    client = api(make_token(org, [Scope.TOPICS_READ])[1])
    first = client.get("/api/v1/topics/")
    assert first["ETag"] and first["Cache-Control"] == "private, no-cache"
    again = client.get("/api/v1/topics/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_pagination(org, make_token, api):
    _topics(org, 3)
    body = api(make_token(org, [Scope.TOPICS_READ])[1]).get("/api/v1/topics/", {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


@pytest.mark.django_db
def test_kpis_with_targets_and_values_of_the_period(org, other_org, make_token, api, officer):
    from programme.models import KpiMeasurement

    goal = GoalFactory(organisation=org, title="Bewustzijn")
    kpi = KpiFactory(goal=goal, name="Score", target=7)
    year = goal.year
    KpiMeasurement.objects.create(kpi=kpi, value=8, measured_on=datetime.date(year, 1, 15), source="enquête")
    KpiFactory(goal=GoalFactory(organisation=other_org), name="Van de buren")
    client = api(make_token(org, [Scope.KPIS_READ])[1])
    body = client.get("/api/v1/kpis/", {"period": str(year)}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["goal"]["title"] == "Bewustzijn" and row["target"] == 7 and row["value"] == 8 and row["on_target"]
    later = client.get("/api/v1/kpis/", {"period": f"{year}-Q2"}).json()["results"][0]
    assert later["value"] is None and later["measurements"] == []


@pytest.mark.django_db
def test_department_figures_count_and_keep_the_group_size_rule(
    org, make_token, api, department_a, department_b, staff_a
):
    from ambassadors.tests.factories import ActivityFactory
    from evaluation.surveys.models import Answer, Question, Response, Survey

    ActivityFactory(organisation=org, user=staff_a, department=department_a)
    DataLeakFactory(department=department_a)
    survey = Survey.objects.create(organisation=org, title="Puls", deadline=timezone.localdate(), status="open")
    question = Question.objects.create(survey=survey, text="Ik weet wat een datalek is.")
    for department, count in ((department_a, 5), (department_b, 4)):
        for _n in range(count):
            response = Response.objects.create(survey=survey, department=department, submitted_at=timezone.now())
            Answer.objects.create(response=response, question=question, likert=4)
    rows = {
        r["name"]: r
        for r in api(make_token(org, [Scope.KPIS_READ])[1]).get("/api/v1/departments/figures/").json()["results"]
    }
    a, b = rows[department_a.name], rows[department_b.name]
    assert (a["activities"], a["dataleak_reports"], a["survey_responses"], a["survey_mean_score"]) == (1, 1, 5, 4)
    assert (b["survey_responses"], b["survey_mean_score"]) == (None, None)


@pytest.mark.django_db
def test_the_register_leaves_out_the_reporters_details(
    org, other_org, make_token, api, department_a, other_department, staff_a
):
    DataLeakFactory(
        department=department_a,
        reported_by=staff_a,
        contact_name="Anna Medewerker",
        contact_email="anna@voorbeeld.test",
        contact_phone="0612345678",
        description="Geheime omschrijving",
        lesson="Dubbel controleren",
    )
    DataLeakFactory(department=other_department, lesson="Van de buren")
    response = api(make_token(org, [Scope.REGISTER_READ])[1]).get("/api/v1/register/")
    body = response.json()
    assert body["count"] == 1 and body["results"][0]["lesson"] == "Dubbel controleren"
    for secret in (b"Anna", b"anna@", b"0612345678", b"Geheime", b"Van de buren"):
        assert secret not in response.content
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/topics/", "/api/v1/kpis/", "/api/v1/departments/figures/", "/api/v1/register/"]
)
def test_list_endpoints_run_a_fixed_number_of_queries(
    org, make_token, api, department_a, path, django_assert_max_num_queries, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.tests.factories import DepartmentFactory

    client = api(make_token(org)[1])

    def fill(n: int) -> None:
        _topics(org, n)
        for _i in range(n):
            KpiFactory(goal=GoalFactory(organisation=org))
            DepartmentFactory(organisation=org)
            DataLeakFactory(department=department_a)

    fill(2)
    client.get(path)  # warm up (content types, the audit chain head)
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    fill(6)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(path).status_code == 200
    with django_assert_max_num_queries(20):
        client.get(path)
