from evaluation.dashboards.urls import urlpatterns as dashboard_urlpatterns
from evaluation.evidence.urls import urlpatterns as evidence_urlpatterns
from evaluation.report.urls import urlpatterns as report_urlpatterns
from evaluation.surveys.urls import urlpatterns as survey_urlpatterns

app_name = "evaluation"

# Each part of the app keeps its own patterns: surveys (enquetes/), dashboards, the yearly report, evidence.
urlpatterns: list = [*survey_urlpatterns, *dashboard_urlpatterns, *report_urlpatterns, *evidence_urlpatterns]
