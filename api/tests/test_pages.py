"""The CISO's token page and the officers' documentation: anonymous, forbidden, permitted, and never another's."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from api.models import ApiToken
from api.services import hash_token
from core.models import AuditEntry

TOKENS = "/organisatie/api-tokens/"


def _form(**overrides) -> dict:
    return {
        "name": "Intranet",
        "scopes": ["topics:read", "kpis:read"],
        "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        **overrides,
    }


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(client):
    for path in (TOKENS, "/api/docs/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_only_the_ciso_manages_tokens(client_as, privacy_officer, staff_a, manager_a):
    for user in (privacy_officer, staff_a, manager_a):
        assert client_as(user).get(TOKENS).status_code == 403


@pytest.mark.django_db
def test_the_ciso_creates_a_token_and_sees_it_once(client_as, officer, org):
    client = client_as(officer)
    response = client.post(TOKENS, _form())
    assert response.status_code == 200
    secret = response.context["secret"]
    token = ApiToken.objects.get()
    assert token.organisation == org and token.key_hash == hash_token(secret)
    assert token.scopes == ["kpis:read", "topics:read"]
    assert secret.encode() in response.content
    assert secret.encode() not in client.get(TOKENS).content
    assert AuditEntry.objects.filter(action="api_token_created", object_id=str(token.pk)).exists()


@pytest.mark.django_db
def test_bad_input_is_refused_in_dutch_and_kept(client_as, officer):
    too_late = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    response = client_as(officer).post(TOKENS, _form(scopes=[], expires_on=too_late))
    assert response.status_code == 200 and not ApiToken.objects.exists()
    content = response.content.decode()
    assert "hoogstens een jaar" in content and "Kies minstens" in content and 'value="Intranet"' in content


@pytest.mark.django_db
def test_a_double_submit_stores_once(client_as, officer):
    client = client_as(officer)
    form = _form(submission_token="abc123")
    client.post(TOKENS, form)
    client.post(TOKENS, form)
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_the_ciso_revokes_a_token(client_as, officer, org, make_token, api):
    token, secret = make_token(org)
    response = client_as(officer).post(f"{TOKENS}{token.pk}/intrekken/")
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert api(secret).get("/api/v1/topics/").status_code == 401


@pytest.mark.django_db
def test_nobody_revokes_another_organisations_token(client_as, officer, other_org, make_token):
    token, _secret = make_token(other_org)
    assert client_as(officer).post(f"{TOKENS}{token.pk}/intrekken/").status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


@pytest.mark.django_db
def test_the_list_shows_only_the_organisations_tokens(client_as, officer, org, other_org, make_token):
    make_token(org, name="Power BI")
    make_token(other_org, name="Token van de buren")
    content = client_as(officer).get(TOKENS).content
    assert b"Power BI" in content and b"Token van de buren" not in content


@pytest.mark.django_db
def test_officers_read_the_documentation_and_the_schema(client_as, privacy_officer, staff_a):
    assert client_as(staff_a).get("/api/docs/").status_code == 403
    client = client_as(privacy_officer)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert b"swagger-ui-bundle.js" in response.content
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200 and b"/api/v1/topics/" in schema.content


@pytest.mark.django_db
def test_staff_cannot_read_the_schema_with_a_session(client_as, staff_a):
    assert client_as(staff_a).get("/api/schema/").status_code == 401
