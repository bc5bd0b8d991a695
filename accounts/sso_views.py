"""Sign-in with the municipal account: the hint on the login page, the start, the callback, the settings page."""

from __future__ import annotations

import logging

from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.providers.base.constants import AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.utils import build_absolute_uri
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from requests import RequestException

from accounts import security_events, sso
from accounts.models import IdentityProvider, Organisation
from accounts.permissions import can_configure_sign_in
from accounts.sso_adapter import (
    ERRORS,
    OrganisationMicrosoftAdapter,
    OrganisationOIDCAdapter,
    error_page,
)
from accounts.sso_forms import IdentityProviderForm
from core.submissions import once_per_submission

logger = logging.getLogger(__name__)

# What can go wrong talking to a provider that is down or set up wrongly, beyond what allauth catches itself.
_PROVIDER_FAILURES = (RequestException, OAuth2Error, KeyError, ValueError, TypeError)


@login_not_required
@require_GET
def hint(request: HttpRequest) -> HttpResponse:
    """The login page asks this (htmx) for the typed address: the button shows when its organisation has SSO."""
    email = request.GET.get("login", "").strip()
    provider = sso.provider_for_email(email)
    context = {"sso_provider": provider, "sso_email": email if provider else "", "next": get_next_redirect_url(request)}
    return render(request, "accounts/partials/sso_hint.html", context)


@login_not_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the identity provider of the organisation that owns the typed address's domain."""
    email = request.POST.get("login", "").strip()
    provider = sso.provider_for_email(email)
    if provider is None:
        messages.error(
            request,
            _("Sign-in with a municipal account is not set up for this e-mail address. Sign in with your password."),
        )
        return redirect("account_login")
    organisation = provider.organisation
    request.session[sso.FLOW_SESSION_KEY] = organisation.pk
    try:
        social_provider = get_social_adapter(request).get_provider(request, provider.provider_id)
        response = social_provider.redirect(
            request,
            AuthProcess.LOGIN,
            next_url=get_next_redirect_url(request),
            auth_params={"login_hint": email},
        )
    except _PROVIDER_FAILURES as exc:
        kind = "unavailable" if isinstance(exc, RequestException) else "misconfigured"
        logger.warning(
            "sign-in with the identity provider of organisation %s failed to start: %s", organisation.pk, kind
        )
        security_events.sso_error(request, organisation, kind, exc)
        return error_page(request, ERRORS[kind], organisation=organisation)
    if response.status_code != 302:
        return response
    # The CSP's form-action stops a form's redirect to another origin, so the way to the identity
    # provider is a page that goes on by itself (meta refresh) and a link, both navigations.
    return render(
        request,
        "accounts/sso_redirect.html",
        {"authorize_url": response["Location"], "organisation": organisation},
    )


@login_not_required
@require_GET
def callback(request: HttpRequest, slug: str) -> HttpResponse:
    """The identity provider's answer: allauth's callback view with the organisation's checks."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    if request.session.get(sso.FLOW_SESSION_KEY) != organisation.pk:
        # No sign-in of this organisation under way in this browser: a stale, forged or replayed answer.
        security_events.sso_error(
            request, organisation if request.session.get(sso.FLOW_SESSION_KEY) else None, "state", None
        )
        return error_page(request, ERRORS["state"])
    provider = sso.active_provider(organisation)
    if provider is None:
        security_events.sso_error(request, organisation, "misconfigured", None)
        return error_page(request, ERRORS["misconfigured"], organisation=organisation)
    if provider.kind == IdentityProvider.Kind.MICROSOFT:
        adapter = OrganisationMicrosoftAdapter(request)
    else:
        adapter = OrganisationOIDCAdapter(request, provider.provider_id)
    try:
        return OAuth2CallbackView.adapter_view(adapter)(request)
    except _PROVIDER_FAILURES as exc:
        kind = "unavailable" if isinstance(exc, RequestException) else "misconfigured"
        logger.warning(
            "the identity provider's answer for organisation %s failed: %s", organisation.pk, kind, exc_info=True
        )
        security_events.sso_error(request, organisation, kind, exc)
        return error_page(request, ERRORS[kind], organisation=organisation)


@require_http_methods(["GET", "POST"])
@once_per_submission
def settings_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_configure_sign_in(request.user, organisation):
        # Another organisation's page does not exist for the user; their own is forbidden to a non-CISO.
        if request.user.organisation_id != organisation.pk:
            raise Http404
        raise PermissionDenied
    instance = IdentityProvider.objects.filter(organisation=organisation).first() or IdentityProvider(
        organisation=organisation
    )
    form = IdentityProviderForm(request.POST or None, instance=instance, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        sso.save_sign_in_settings(
            organisation=organisation,
            provider=form.save(commit=False),
            domains=form.cleaned_data["domains"],
            new_secret=form.cleaned_data.get("client_secret", ""),
            changed_fields=form.changed_data,
            actor=request.user,
            request=request,
        )
        messages.success(request, _("The sign-in settings have been saved."))
        return redirect("sso:settings", slug=organisation.slug)
    callback_url = build_absolute_uri(request, reverse("sso:callback", kwargs={"slug": organisation.slug}))
    return render(
        request,
        "accounts/sign_in_settings.html",
        {"form": form, "organisation": organisation, "callback_url": callback_url, "provider": instance},
    )
