from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import path, re_path

from accounts import sso_views

app_name = "sso"


@login_not_required
def _not_here(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("accounts/sso/", sso_views.hint, name="hint"),
    path("accounts/sso/start/", sso_views.start, name="start"),
    path("accounts/sso/<slug:slug>/callback/", sso_views.callback, name="callback"),
    path("mensen/organisaties/<slug:slug>/inloggen/", sso_views.settings_page, name="settings"),
    # allauth's own provider views: every sign-in goes through the organisation-bound start and
    # callback above, which check the ID token's signature and nonce.
    re_path(r"^accounts/(?:microsoft|oidc)/", _not_here, name="provider_views_disabled"),
]
