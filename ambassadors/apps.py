from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmbassadorsConfig(AppConfig):
    name = "ambassadors"
    verbose_name = _("Ambassadors")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which Django allows only once every app
        # is loaded (AppConfig.ready).
        from accounts.signals import demo_seeded
        from ambassadors.demo import seed_demo
        from ambassadors.kpis import MEASURES
        from programme.kpis import registry

        demo_seeded.connect(seed_demo, dispatch_uid="ambassadors.demo")
        for measure in MEASURES:
            registry.register(measure)
