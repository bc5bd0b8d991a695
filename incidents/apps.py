from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Data leaks")

    def ready(self) -> None:
        from accounts.signals import demo_seeded
        from incidents.demo import seed_demo
        from incidents.kpis import register_measures

        demo_seeded.connect(seed_demo, dispatch_uid="incidents.demo")
        register_measures()
