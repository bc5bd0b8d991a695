from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and departments")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from accounts import security_events, signals  # noqa: F401
        from accounts.models import Department, Officer, Organisation, User

        auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields={"groups"})
        auditlog.register(Department, m2m_fields={"managers"})
        auditlog.register(Officer)
        auditlog.register(Organisation)
