from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which Django allows only once every app
        # is loaded (AppConfig.ready).
        from accounts.signals import demo_seeded
        from programme.kpis import registry
        from training.demo import seed_demo
        from training.selectors import TRAINING_ATTENDANCE

        demo_seeded.connect(seed_demo, dispatch_uid="training.demo")
        registry.register(TRAINING_ATTENDANCE)
