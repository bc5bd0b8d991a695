"""allauth's social sign-in, bound to the organisation whose identity provider the sign-in uses.

- Apps are not rows in allauth's SocialApp table: ``list_apps`` builds the one app of the
  organisation of the sign-in under way from its ``IdentityProvider`` (secret decrypted in memory).
- Each authorization request carries a nonce; the ID token's signature is always checked
  against the provider's keys (allauth skips that when the token came from the token endpoint),
  and its nonce against the one sent.
- Who the sign-in becomes is decided by ``accounts.sso.match_user``; a refusal or an error of
  the provider reaches the user as a plain Dutch page and the security log.
"""

from __future__ import annotations

from typing import Any

import jwt
from allauth.account.internal.flows.login import record_authentication
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.stages import AuthenticateStage as AllauthAuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, get_adapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.providers.microsoft.provider import MicrosoftGraphProvider
from allauth.socialaccount.providers.microsoft.views import MicrosoftGraphOAuth2Adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from requests import RequestException

from accounts import security_events, sso
from accounts.models import IdentityProvider, Organisation

ENTRA_LOGIN_URL = "https://login.microsoftonline.com"
ENTRA_GRAPH_URL = "https://graph.microsoft.com"
# Set on the request between the provider's answer and the MFA stage of the same sign-in.
_IDP_MFA_ATTR = "_sso_idp_mfa_amr"

ERRORS = {
    "state": _(
        "This sign-in could not be completed: it took too long, was started in another window, or the answer "
        "of your identity provider did not belong to it. Please sign in again."
    ),
    "cancelled": _("You cancelled the sign-in or did not give permission at your identity provider."),
    "expired": _("The sign-in code of your identity provider has expired or was already used. Please sign in again."),
    "token": _("The answer of your identity provider could not be verified, so you have not been signed in."),
    "misconfigured": _(
        "Sign-in with the municipal account is not set up correctly for your organisation. Please contact your "
        "IT service desk; officers can sign in with their password and second factor meanwhile."
    ),
    "unavailable": _(
        "Your identity provider could not be reached. Please try again in a moment, or contact your IT service desk."
    ),
}


def error_page(
    request: HttpRequest, message: str, *, organisation: Organisation | None = None, status: int = 403
) -> HttpResponse:
    return render(request, "accounts/sso_error.html", {"message": message, "organisation": organisation}, status=status)


def flow_organisation(request: HttpRequest | None) -> Organisation | None:
    if request is None or not hasattr(request, "session"):
        return None
    pk = request.session.get(sso.FLOW_SESSION_KEY)
    return Organisation.objects.filter(pk=pk).first() if pk else None


def build_app(provider: IdentityProvider) -> SocialApp:
    """The organisation's app for allauth, in memory: the decrypted secret never reaches a table or a form."""
    callback_path = reverse("sso:callback", kwargs={"slug": provider.organisation.slug})
    common = {"oauth_pkce_enabled": True, "callback_path": callback_path}
    if provider.kind == IdentityProvider.Kind.MICROSOFT:
        settings: dict[str, Any] = {
            **common,
            # Always the organisation's own tenant, never "common": only its directory may sign its people in.
            "tenant": provider.tenant_id,
            "scope": ["openid", "email", "profile", "User.Read"],
        }
    else:
        settings = {**common, "server_url": provider.issuer.rstrip("/")}
    return SocialApp(
        provider=provider.kind,
        provider_id=provider.provider_id,
        name=provider.organisation.name[:40],
        client_id=provider.client_id,
        secret=sso.decrypt_secret(provider.client_secret_encrypted),
        settings=settings,
    )


# Asymmetric only: never "none", never an HMAC keyed with something the provider published.
_ID_TOKEN_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")


def verify_id_token(credential: str, *, keys_url: str, issuer: str, audience: str) -> dict:
    """The ID token's claims after checking its signature against the provider's published keys, its issuer,
    audience and expiry. A key without ``kid`` is accepted only when the provider publishes exactly one."""
    try:
        header = jwt.get_unverified_header(credential)
        algorithm = header.get("alg")
        if algorithm not in _ID_TOKEN_ALGORITHMS:
            raise OAuth2Error(f"id_token signed with {algorithm!r}")
        with get_adapter().get_requests_session() as session:
            response = session.get(keys_url)
            response.raise_for_status()
            key_set = jwt.PyJWKSet.from_dict(response.json())
        kid = header.get("kid")
        keys = [key for key in key_set.keys if kid is None or key.key_id == kid]
        if len(keys) != 1:
            raise OAuth2Error("id_token key not found")
        return jwt.decode(
            credential,
            key=keys[0].key,
            algorithms=[algorithm],
            audience=audience,
            issuer=issuer,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except jwt.PyJWTError as exc:
        raise OAuth2Error("Invalid id_token") from exc


def _absolute_callback(request: HttpRequest, app: SocialApp) -> str:
    return build_absolute_uri(request, app.settings["callback_path"])


def _with_nonce(provider, kwargs: dict) -> dict:
    """Send a fresh nonce and keep it in allauth's state; the ID token must carry it back."""
    nonce = get_random_string(32)
    auth_params = kwargs.pop("auth_params", None)
    if auth_params is None:
        auth_params = provider.get_auth_params()
    auth_params["nonce"] = nonce
    kwargs["auth_params"] = auth_params
    kwargs["nonce"] = nonce
    return kwargs


class OrganisationOIDCAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict:
        return verify_id_token(
            id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
        )

    def get_callback_url(self, request: HttpRequest, app: SocialApp) -> str:
        return _absolute_callback(request, app)


class OrganisationOIDCProvider(OpenIDConnectProvider):
    oauth2_adapter_class = OrganisationOIDCAdapter

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        kwargs = _with_nonce(self, kwargs)
        return super().redirect(request, process, next_url, data, **kwargs)


class OrganisationMicrosoftAdapter(MicrosoftGraphOAuth2Adapter):
    def _app(self) -> SocialApp:
        return self.get_provider().app

    def _build_tenant_url(self, path: str) -> str:
        app = self._app()
        login_url = app.settings.get("login_url", ENTRA_LOGIN_URL)
        return f"{login_url}/{app.settings['tenant']}{path}"

    @property
    def profile_url(self) -> str:
        return f"{self._app().settings.get('graph_url', ENTRA_GRAPH_URL)}/v1.0/me"

    def get_callback_url(self, request: HttpRequest, app: SocialApp) -> str:
        return _absolute_callback(request, app)

    def complete_login(self, request: HttpRequest, app: SocialApp, token, **kwargs):
        login = super().complete_login(request, app, token, **kwargs)
        id_token = (kwargs.get("response") or {}).get("id_token")
        if not id_token:
            raise OAuth2Error("no id_token from Entra ID")
        claims = verify_id_token(
            id_token,
            keys_url=self._build_tenant_url("/discovery/v2.0/keys"),
            issuer=self._build_tenant_url("/v2.0"),
            audience=app.client_id,
        )
        login.account.extra_data = {**login.account.extra_data, "id_token": claims}
        return login


class OrganisationMicrosoftProvider(MicrosoftGraphProvider):
    oauth2_adapter_class = OrganisationMicrosoftAdapter

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        kwargs = _with_nonce(self, kwargs)
        return super().redirect(request, process, next_url, data, **kwargs)


PROVIDER_CLASSES = {
    IdentityProvider.Kind.MICROSOFT.value: OrganisationMicrosoftProvider,
    IdentityProvider.Kind.OPENID_CONNECT.value: OrganisationOIDCProvider,
}


def classify_error(error: str | None, exception: BaseException | None, extra_context: dict | None) -> str:
    extra_context = extra_context or {}
    if error == AuthError.CANCELLED:
        return "cancelled"
    if "state_id" in extra_context and extra_context.get("state") is None and exception is None:
        return "state"
    if isinstance(exception, RequestException):
        return "unavailable"
    text = str(exception or "")
    if "invalid_grant" in text:
        return "expired"
    if "invalid_client" in text or "unauthorized_client" in text:
        return "misconfigured"
    if "id_token" in text or "nonce" in text:
        return "token"
    if exception is None:
        return "cancelled" if error == AuthError.CANCELLED else "misconfigured"
    return "misconfigured"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        """A sign-in becomes an existing user (or a just-in-time account, made in ``pre_social_login``)."""
        return False

    def list_apps(self, request: HttpRequest, provider=None, client_id=None) -> list[SocialApp]:
        organisation = flow_organisation(request)
        identity_provider = sso.active_provider(organisation)
        if identity_provider is None:
            return []
        app = build_app(identity_provider)
        if provider and provider not in (app.provider, app.provider_id):
            return []
        if client_id and client_id != app.client_id:
            return []
        return [app]

    def get_provider(self, request: HttpRequest, provider, client_id=None):
        app = self.get_app(request, provider=provider, client_id=client_id)
        return PROVIDER_CLASSES[app.provider](request, app=app)

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        organisation = flow_organisation(request)
        if organisation is None:
            raise self._refuse(request, None, "state", ERRORS["state"])
        data = sociallogin.account.extra_data or {}
        id_token = data.get("id_token") or {}
        nonce = sociallogin.state.get("nonce")
        if not nonce or id_token.get("nonce") != nonce:
            raise self._refuse(request, organisation, "nonce", ERRORS["token"])
        kind = IdentityProvider.objects.get(organisation=organisation).kind
        identity = sso.identity_from_claims(kind, data)
        linked = sociallogin.user if sociallogin.is_existing else None
        try:
            user = sso.match_user(organisation, identity, linked_user=linked)
        except sso.SignInRefused as refusal:
            raise self._refuse(request, organisation, refusal.reason, str(refusal.message)) from None
        if sso.idp_mfa_proven(organisation, identity):
            setattr(request, _IDP_MFA_ATTR, {"user_id": user.pk, "amr": list(identity.amr)})
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)

    def _refuse(
        self, request: HttpRequest, organisation: Organisation | None, reason: str, message: str
    ) -> ImmediateHttpResponse:
        security_events.sso_refused(request, organisation, reason)
        return ImmediateHttpResponse(error_page(request, message, organisation=organisation))

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None) -> None:
        kind = classify_error(error, exception, extra_context)
        if request.GET.get("error") == "access_denied":
            # Some providers leave the state off a refusal; the user declined either way, nothing is signed in.
            kind = "cancelled"
        organisation = flow_organisation(request)
        security_events.sso_error(request, organisation, kind, exception)
        raise ImmediateHttpResponse(error_page(request, ERRORS[kind], organisation=organisation))


class AuthenticateStage(AllauthAuthenticateStage):
    """allauth's TOTP stage, except after an SSO sign-in whose provider proved MFA and whose organisation lets it count."""

    def handle(self) -> tuple:
        pending = getattr(self.request, _IDP_MFA_ATTR, None)
        signal_kwargs = getattr(self.login, "signal_kwargs", None) or {}
        if pending and "sociallogin" in signal_kwargs and self.login.user and pending["user_id"] == self.login.user.pk:
            delattr(self.request, _IDP_MFA_ATTR)
            record_authentication(self.request, self.login.user, sso.IDP_MFA_METHOD, amr=pending["amr"])
            return None, True
        return super().handle()
