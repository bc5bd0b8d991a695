"""The pages of the api app: the CISO's token management and the officers' documentation."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.permissions import can_manage_api_tokens, can_revoke_api_token, can_view_api_docs
from api import services
from api.forms import ApiTokenForm
from api.models import ApiToken, Scope
from core.submissions import once_per_submission


@role_required(can_manage_api_tokens)
@require_http_methods(["GET", "POST"])
@once_per_submission
def tokens(request: HttpRequest) -> HttpResponse:
    """The organisation's tokens; a new one is shown on the answer to its POST, once, and never again."""
    form = ApiTokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        created, secret = services.token_create(
            organisation=request.user.organisation,
            created_by=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.expires_at(),
        )
        form = ApiTokenForm()
    token_list = ApiToken.objects.visible_to(request.user).select_related("created_by")[:200]
    return render(
        request,
        "api/token_list.html",
        {"form": form, "tokens": token_list, "created": created, "secret": secret, "scopes": Scope.choices},
    )


@role_required(can_manage_api_tokens)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.visible_to(request.user).filter(pk=pk).first()
    if token is None or not can_revoke_api_token(request.user, token):
        raise Http404
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token %(name)s has been revoked; it no longer works.") % {"name": token.name})
    return redirect("api_tokens:list")


@role_required(can_view_api_docs)
def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html", {"scopes": Scope.choices})
