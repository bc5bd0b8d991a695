from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which Django allows only once every app
        # is loaded (AppConfig.ready).
        from accounts.signals import demo_seeded
        from programme.demo import seed_demo

        demo_seeded.connect(seed_demo, dispatch_uid="programme.demo")
