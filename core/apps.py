from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from core.years import YearConverter


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Infrastructure")

    def ready(self) -> None:
        register_converter(YearConverter, "year")
