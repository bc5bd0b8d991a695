from django.urls import path

from evaluation import dashboard_views, report_views

urlpatterns = [
    path("afdeling/<int:pk>/", dashboard_views.department_dashboard, name="department_dashboard"),
    path(
        "afdeling/<int:pk>/export/<slug:table>.<str:fmt>",
        dashboard_views.department_export,
        name="department_export",
    ),
    path("programma/", dashboard_views.programme_dashboard, name="programme_dashboard"),
    path("programma/export/<slug:table>.<str:fmt>", dashboard_views.programme_export, name="programme_export"),
    path("jaar/<year:year>/", report_views.year_report, name="year_report"),
    path("jaar/<year:year>/pdf/", report_views.year_report_pdf, name="year_report_pdf"),
    path("jaar/<year:year>/voorstellen/", report_views.proposal_list, name="proposals"),
    path("jaar/<year:year>/voorstellen/<int:pk>/stem/", report_views.proposal_vote, name="proposal_vote"),
    path("jaar/<year:year>/voorstellen/<int:pk>/accepteren/", report_views.proposal_accept, name="proposal_accept"),
]
