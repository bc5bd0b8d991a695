from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from api import services
from api.models import Scope

ALL_SCOPES = [scope.value for scope in Scope]


@pytest.fixture
def make_token(db):
    """``make_token(organisation, scopes=..., expires_in_days=..., revoked=...) -> (token, secret)``."""

    def make(organisation, scopes=ALL_SCOPES, *, expires_in_days: int = 30, revoked: bool = False, name="Intranet"):
        token, secret = services.token_create(
            organisation=organisation,
            created_by=None,
            name=name,
            scopes=scopes,
            expires_at=timezone.now() + datetime.timedelta(days=expires_in_days),
        )
        if revoked:
            services.token_revoke(token=token, actor=None)
        return token, secret

    return make


@pytest.fixture
def api(db):
    """``api(secret)``: a test client that sends the token with every request."""

    def make(secret: str | None = None, **headers) -> Client:
        extra = {"HTTP_ACCEPT_LANGUAGE": "nl", **headers}
        if secret:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        return Client(**extra)

    return make
