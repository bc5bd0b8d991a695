from django.urls import path

from evaluation.evidence import views

urlpatterns = [
    path("bewijs/<year:year>/", views.evidence_report, name="evidence_report"),
    path("bewijs/<year:year>/bewijs.pdf", views.evidence_pdf, name="evidence_pdf"),
    path("bewijs/<year:year>/bewijs.xlsx", views.evidence_xlsx, name="evidence_xlsx"),
    path("bewijs/<year:year>/maatregel/<int:pk>/toelichting/", views.explanation, name="evidence_explanation"),
    path("normenkaders/", views.framework_list, name="evidence_frameworks"),
    path("normenkaders/<int:pk>/", views.framework_detail, name="evidence_framework"),
    path("normenkaders/<int:pk>/bewerken/", views.framework_edit, name="evidence_framework_edit"),
    path("maatregelen/<int:pk>/bewerken/", views.control_edit, name="evidence_control_edit"),
    path("maatregelen/<int:pk>/verwijderen/", views.control_delete, name="evidence_control_delete"),
    path("volwassenheid/", views.maturity_overview, name="maturity"),
    path("volwassenheid/<year:year>/<int:round>/", views.maturity_form, name="maturity_form"),
    path("volwassenheid/antwoord/<int:pk>/onderwerp/", views.maturity_propose, name="maturity_propose"),
]
