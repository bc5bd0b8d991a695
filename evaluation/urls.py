from evaluation.dashboard_urls import urlpatterns as dashboard_urlpatterns
from evaluation.evidence.urls import urlpatterns as evidence_urlpatterns
from evaluation.surveys.urls import urlpatterns as survey_urlpatterns

app_name = "evaluation"

# Surveys live under enquetes/; the dashboards and the yearly report add their own patterns here.
urlpatterns: list = [*survey_urlpatterns, *dashboard_urlpatterns, *evidence_urlpatterns]
