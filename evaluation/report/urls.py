from django.urls import path

from evaluation.report import views

urlpatterns = [
    path("jaar/<year:year>/", views.year_report, name="year_report"),
    path("jaar/<year:year>/pdf/", views.year_report_pdf, name="year_report_pdf"),
    path("jaar/<year:year>/voorstellen/", views.proposal_list, name="proposals"),
    path("jaar/<year:year>/voorstellen/<int:pk>/stem/", views.proposal_vote, name="proposal_vote"),
    path("jaar/<year:year>/voorstellen/<int:pk>/accepteren/", views.proposal_accept, name="proposal_accept"),
]
