from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentProgrammesConfig(AppConfig):
    """The department year programme: planned items against the annual plan, and good practices.

    A separate app (label ``department_programmes``) inside the ambassadors package: it reads the ambassadors'
    activities and appointments and the programme's topics, and keeps its own migrations.
    """

    name = "ambassadors.programmes"
    label = "department_programmes"
    verbose_name = _("Department programmes")

    def ready(self) -> None:
        from accounts.signals import demo_seeded
        from ambassadors.programmes.demo import seed_demo
        from ambassadors.programmes.kpis import MEASURES
        from programme.kpis import registry

        demo_seeded.connect(seed_demo, dispatch_uid="ambassadors.programmes.demo")
        for measure in MEASURES:
            registry.register(measure)
