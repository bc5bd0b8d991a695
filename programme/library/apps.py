from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicLibraryConfig(AppConfig):
    """The topic library shared between the organisations of one installation.

    A separate app (label ``topic_library``) inside the programme package: an organisation publishes copies of its
    topics, other organisations subscribe to it and adopt a publication into their own annual plan. It keeps its own
    migrations and catalogue.
    """

    name = "programme.library"
    label = "topic_library"
    verbose_name = _("Topic library")

    def ready(self) -> None:
        from accounts.signals import demo_seeded
        from programme.library.demo import seed_demo

        demo_seeded.connect(seed_demo, dispatch_uid="programme.library.demo", weak=False)
