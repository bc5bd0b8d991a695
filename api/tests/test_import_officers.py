"""The API refuses an HR import that deactivates an officer (problem details, Dutch or English), and the last CISO."""

import pytest

from accounts.models import User
from api.models import Scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(org, make_token, api):
    return lambda language: api(make_token(org, [Scope.PEOPLE_WRITE])[1], HTTP_ACCEPT_LANGUAGE=language)


def _api_rows(*users):
    return [
        {
            "email": u.email,
            "name": u.full_name,
            "department_code": u.department.code,
            "department": u.department.name,
            "active": "nee",
        }
        for u in users
    ]


@pytest.mark.parametrize(
    ("language", "text"),
    [("nl", "een import deactiveert geen functionaris"), ("en", "an import does not deactivate an officer")],
)
def test_the_api_refuses_to_deactivate_an_officer(hr, officer, privacy_officer, language, text):
    response = hr(language).post(
        "/api/v1/people/import/",
        {"dry_run": False, "rows": _api_rows(privacy_officer)},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert any(text in error["message"] for error in response.json()["errors"])
    assert User.objects.get(pk=privacy_officer.pk).is_active


def test_the_api_refuses_to_deactivate_the_last_ciso(hr, officer):
    response = hr("nl").post(
        "/api/v1/people/import/", {"dry_run": False, "rows": _api_rows(officer)}, content_type="application/json"
    )
    assert response.status_code == 422
    assert any("laatste actieve CISO" in error["message"] for error in response.json()["errors"])
    assert User.objects.get(pk=officer.pk).is_active
