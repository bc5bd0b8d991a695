"""Django's model backend, loading the signed-in user with the organisation every page's header names.

It authenticates nobody (Django's and allauth's backends do, each password hashed no more often than
before); at sign-in the session is switched to it (``use_for_session``), so that every later request loads
the user and their organisation in one query instead of two. Sessions recorded before keep Django's backend.
"""

from __future__ import annotations

from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend

PATH = "accounts.backends.UserWithOrganisationBackend"
_MODEL_BACKENDS = ("django.contrib.auth.backends.ModelBackend", "allauth.account.auth_backends.AuthenticationBackend")


class UserWithOrganisationBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return None

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("organisation").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def use_for_session(sender, request, user, **kwargs) -> None:
    """On ``user_logged_in``: a session of a model backend loads its user through this one from now on."""
    session = getattr(request, "session", None)
    if session is not None and session.get(BACKEND_SESSION_KEY) in _MODEL_BACKENDS:
        session[BACKEND_SESSION_KEY] = PATH
