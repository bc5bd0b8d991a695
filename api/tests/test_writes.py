"""The write endpoints: a data-leak hand-over as the form takes it, and the HR import as a call."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import Department, User
from api.models import Scope
from core.models import OutboxMessage
from incidents.models import DataLeak

HANDOVER = "/api/v1/dataleaks/"


def _handover(department, **overrides) -> dict:
    now = timezone.now()
    return {
        "reporter_email": "anna@voorbeeld.test",
        "category": "email_wrong_recipient",
        "description": "Beschikking naar het verkeerde adres gemaild (telefonisch gemeld bij de servicedesk).",
        "occurred_at": (now - datetime.timedelta(hours=2)).isoformat(),
        "discovered_at": (now - datetime.timedelta(hours=1)).isoformat(),
        "department": department.pk,
        "data_kinds": ["name_address", "bsn"],
        **overrides,
    }


@pytest.fixture
def writer(org, make_token, api):
    return api(make_token(org, [Scope.DATALEAKS_WRITE])[1])


@pytest.mark.django_db
def test_a_handover_is_saved_and_answered_with_its_reference(
    writer, staff_a, department_a, privacy_officer, mailoutbox, client_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = writer.post(
            HANDOVER, _handover(department_a), content_type="application/json", HTTP_IDEMPOTENCY_KEY="TOP-1"
        )
    assert response.status_code == 201, response.content
    leak = DataLeak.objects.get()
    body = response.json()
    assert body["reference"] == leak.reference and body["status"] == "reported"
    assert leak.reported_by == staff_a and leak.data_kinds == ["name_address", "bsn"]
    assert {m.to[0] for m in mailoutbox} >= {staff_a.email, privacy_officer.email}
    queue = client_as(privacy_officer).get("/datalekken/behandelen/")
    assert leak.reference.encode() in queue.content and b"countdown" in queue.content


@pytest.mark.django_db
def test_a_retried_handover_stores_once(writer, staff_a, department_a):
    payload = _handover(department_a)
    first = writer.post(HANDOVER, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="TOP-2")
    again = writer.post(HANDOVER, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="TOP-2")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    assert DataLeak.objects.count() == 1
    assert (
        OutboxMessage.objects.filter(key__startswith=f"dataleak-{DataLeak.objects.get().pk}-confirmation").count() == 1
    )


@pytest.mark.django_db
def test_a_key_reused_for_another_reporter_is_refused(writer, staff_a, staff_b, department_a):
    writer.post(HANDOVER, _handover(department_a), content_type="application/json", HTTP_IDEMPOTENCY_KEY="TOP-3")
    other = _handover(department_a, reporter_email=staff_b.email)
    response = writer.post(HANDOVER, other, content_type="application/json", HTTP_IDEMPOTENCY_KEY="TOP-3")
    assert response.status_code == 422 and DataLeak.objects.count() == 1


@pytest.mark.django_db
def test_the_key_is_required(writer, staff_a, department_a):
    response = writer.post(HANDOVER, _handover(department_a), content_type="application/json")
    assert response.status_code == 400 and response.json()["type"].endswith("idempotency-key")


@pytest.mark.django_db
def test_the_forms_validation_applies_in_dutch(writer, staff_a, department_a, other_department):
    future = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    response = writer.post(
        HANDOVER,
        _handover(other_department, occurred_at=future),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="TOP-4",
    )
    # A body of the documented form whose content the report form refuses: 422 (a 400 is a body the schema refuses).
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "toekomst" in " ".join(errors["occurred_at"])
    assert "department" in errors
    assert not DataLeak.objects.exists()


@pytest.mark.django_db
def test_a_reporter_of_another_organisation_is_unknown(writer, outsider, department_a):
    response = writer.post(
        HANDOVER,
        _handover(department_a, reporter_email=outsider.email),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="TOP-5",
    )
    assert response.status_code == 422 and "reporter_email" in response.json()["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"department": "5"},
        {"department": True},
        {"description": 7},
        {"data_kinds": "name"},
        {"description": "Een lek\x1bmet ESC"},
        {"description": "x" * 20001},
    ],
)
def test_a_body_the_schema_refuses_is_a_400(writer, staff_a, department_a, change):
    body = {**_handover(department_a), **change}
    response = writer.post(HANDOVER, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="TOP-9")
    assert response.status_code == 400 and set(response.json()["errors"]) == set(change)
    assert not DataLeak.objects.exists()


@pytest.mark.django_db
def test_a_pasted_word_line_break_is_a_newline(writer, staff_a, department_a):
    body = {**_handover(department_a), "description": "Regel een\x0bregel twee\r\nregel drie"}
    response = writer.post(HANDOVER, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="TOP-10")
    assert response.status_code == 201
    assert DataLeak.objects.get().description == "Regel een\nregel twee\nregel drie"


def _rows(*extra) -> list[dict]:
    return [
        {"email": "jan@voorbeeld.test", "name": "Jan Jansen", "department_code": "BZ", "department": "Burgerzaken"},
        {"email": "piet@voorbeeld.test", "name": "Piet Pieters", "department_code": "BZ", "department": "Burgerzaken"},
        *extra,
    ]


@pytest.fixture
def hr(org, make_token, api):
    return api(make_token(org, [Scope.PEOPLE_WRITE])[1])


@pytest.mark.django_db
def test_the_import_is_a_dry_run_by_default(hr, org):
    response = hr.post("/api/v1/people/import/", {"rows": _rows()}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] and not body["applied"] and len(body["users_created"]) == 2
    assert not User.objects.filter(email="jan@voorbeeld.test").exists()


@pytest.mark.django_db
def test_the_import_applies_all_rows(hr, org):
    response = hr.post("/api/v1/people/import/", {"rows": _rows(), "dry_run": False}, content_type="application/json")
    assert response.status_code == 200 and response.json()["applied"]
    assert User.objects.filter(organisation=org, email__in=["jan@voorbeeld.test", "piet@voorbeeld.test"]).count() == 2
    assert Department.objects.filter(organisation=org, code="BZ").exists()


@pytest.mark.django_db
def test_the_import_writes_nothing_when_a_row_is_bad(hr, org):
    bad = {"email": "geen-adres", "name": "X", "department_code": "BZ", "department": "Burgerzaken"}
    response = hr.post(
        "/api/v1/people/import/", {"rows": _rows(bad), "dry_run": False}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["row"] == 3
    assert not User.objects.filter(email="jan@voorbeeld.test").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"rows": []},
        {"rows": [{**_rows()[0], "active": 0}]},
        {"rows": [{**_rows()[0], "manager": False}]},
        {"rows": _rows(), "dry_run": 0},
        {"rows": _rows(), "dry_run": "false"},
    ],
)
def test_an_import_the_schema_refuses_is_a_400(hr, org, body):
    from accounts.models import User

    before = User.objects.filter(organisation=org).count()
    response = hr.post("/api/v1/people/import/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"]
    assert User.objects.filter(organisation=org).count() == before


# --- Idempotency-Key, as the IETF draft says ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_key_and_body_answer_the_first_receipt_however_the_body_is_spelled(writer, staff_a, department_a):
    import json

    payload = _handover(department_a)
    first = writer.post(HANDOVER, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="TOP-10")
    reordered = json.dumps(dict(reversed(list(payload.items()))), indent=2)
    again = writer.post(HANDOVER, reordered, content_type="application/json", HTTP_IDEMPOTENCY_KEY="TOP-10")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json() and DataLeak.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_and_nothing_is_stored_or_lost(writer, staff_a, department_a):
    payload = _handover(department_a)
    first = writer.post(HANDOVER, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="TOP-11")
    other = {**payload, "description": "Een andere melding: USB-stick verloren."}
    refused = writer.post(HANDOVER, other, content_type="application/json", HTTP_IDEMPOTENCY_KEY="TOP-11")
    assert refused.status_code == 422 and refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["type"].endswith("idempotency-key-reused")
    assert DataLeak.objects.count() == 1 and DataLeak.objects.get().description == payload["description"]
    retried = writer.post(HANDOVER, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="TOP-11")
    assert retried.status_code == 200 and retried.json()["reference"] == first.json()["reference"]
    # The other report under a key of its own is stored.
    fresh = writer.post(HANDOVER, other, content_type="application/json", HTTP_IDEMPOTENCY_KEY="TOP-12")
    assert fresh.status_code == 201 and DataLeak.objects.count() == 2


@pytest.mark.django_db
def test_a_key_belongs_to_the_tokens_organisation(
    writer, staff_a, department_a, other_org, other_department, outsider, make_token, api
):
    other_writer = api(make_token(other_org, [Scope.DATALEAKS_WRITE])[1])
    mine = writer.post(HANDOVER, _handover(department_a), content_type="application/json", HTTP_IDEMPOTENCY_KEY="K-1")
    theirs = other_writer.post(
        HANDOVER,
        _handover(other_department, reporter_email=outsider.email),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="K-1",
    )
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert DataLeak.objects.filter(organisation=other_org).count() == 1
    assert DataLeak.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_handover_leaves_its_key_free_for_the_corrected_request(writer, staff_a, department_a):
    future = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    wrong = writer.post(
        HANDOVER,
        _handover(department_a, discovered_at=future),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="K-2",
    )
    assert wrong.status_code == 422 and DataLeak.objects.count() == 0
    right = writer.post(HANDOVER, _handover(department_a), content_type="application/json", HTTP_IDEMPOTENCY_KEY="K-2")
    assert right.status_code == 201 and DataLeak.objects.count() == 1
