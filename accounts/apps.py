import os

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


def check_moved_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A variable that used to configure every organisation at once is no longer read: say so, not silently."""
    if os.environ.get("TEAMS_WEBHOOK_URL"):
        return [
            checks.Warning(
                "TEAMS_WEBHOOK_URL is no longer read: each organisation sets its own Teams webhook on its "
                "settings page (and a department may have its own).",
                id="accounts.W001",
            )
        ]
    return []


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and departments")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which Django allows only once every app
        # is loaded (AppConfig.ready).
        from django.contrib.auth.signals import user_logged_in

        from accounts.backends import use_for_session

        user_logged_in.connect(use_for_session, dispatch_uid="accounts.backends.use_for_session")

        from accounts import security_events, signals  # noqa: F401

        checks.register(check_moved_settings)
