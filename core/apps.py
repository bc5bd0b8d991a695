from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from core import validation
from core.years import YearConverter


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Infrastructure")

    def ready(self) -> None:
        register_converter(YearConverter, "year")
        # Every text field of every form and API serializer refuses control characters and over-long text: the rule
        # lives on Django's and DRF's CharField, so no form can forget it (core/validation.py says why).
        validation.install()
