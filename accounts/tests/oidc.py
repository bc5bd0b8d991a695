"""A real OpenID Connect provider on loopback for the sign-in tests (oidc-provider-mock: authlib, RS256, nonce).

It signs its ID tokens with its own RSA key and serves discovery, authorize, token, userinfo
and JWKS; allauth talks to it over real HTTP as it would to Entra ID or Keycloak.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import oidc_provider_mock
import werkzeug.serving

from accounts.models import EmailDomain, IdentityProvider, Organisation
from accounts.sso import encrypt_secret

TEST_CLIENT_ID = "ambassadeurs-test"
TEST_CLIENT_SECRET = "geheim-van-de-test-app-registratie"


@dataclass
class Provider:
    url: str

    def set_user(self, sub: str, **claims) -> None:
        response = httpx.put(f"{self.url}/users/{quote(sub)}", json={"email": sub, **claims})
        assert response.status_code == 204, response.text

    def register_client(self, redirect_uri: str) -> tuple[str, str]:
        response = httpx.post(f"{self.url}/oauth2/clients", json={"redirect_uris": [redirect_uri]})
        assert response.status_code == 201, response.text
        data = response.json()
        return data["client_id"], data["client_secret"]


@contextmanager
def running_provider(**options) -> Iterator[Provider]:
    # authlib refuses plain http unless told; the provider only ever listens on loopback.
    previous = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    app = oidc_provider_mock.app(require_nonce=True, **options)
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Provider(url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(2)
        if previous is None:
            os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["AUTHLIB_INSECURE_TRANSPORT"] = previous


def connect_organisation(
    organisation: Organisation,
    provider: Provider,
    *,
    domains: tuple[str, ...] = (),
    client_id: str = TEST_CLIENT_ID,
    client_secret: str = TEST_CLIENT_SECRET,
    **policy,
) -> IdentityProvider:
    identity_provider = IdentityProvider.objects.create(
        organisation=organisation,
        kind=IdentityProvider.Kind.OPENID_CONNECT,
        issuer=provider.url,
        client_id=client_id,
        client_secret_encrypted=encrypt_secret(client_secret),
        client_secret_hint=client_secret[:3],
        **policy,
    )
    for domain in domains:
        EmailDomain.objects.create(organisation=organisation, domain=domain)
    return identity_provider
