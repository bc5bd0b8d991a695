from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which Django allows only once every app
        # is loaded (AppConfig.ready).
        from accounts.signals import demo_seeded
        from evaluation.demo import seed_demo
        from evaluation.surveys.kpis import MEASURES
        from programme.kpis import registry

        demo_seeded.connect(seed_demo, dispatch_uid="evaluation.demo")
        from evaluation.report.demo import seed_demo as seed_report_demo

        demo_seeded.connect(seed_report_demo, dispatch_uid="evaluation.report.demo")
        from evaluation.evidence.demo import seed_demo as seed_evidence_demo

        demo_seeded.connect(seed_evidence_demo, dispatch_uid="evaluation.evidence_demo")
        for measure in MEASURES:
            registry.register(measure)
        # The register's counts of the year from the dashboards' rollup (incidents does not import evaluation).
        from evaluation.dashboards.rollup import register_counts
        from incidents.register import yearly_count_sources

        if register_counts not in yearly_count_sources:
            yearly_count_sources.append(register_counts)
