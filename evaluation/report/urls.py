from django.urls import path

from evaluation.report import views

urlpatterns = [
    path("jaar/<int:year>/", views.year_report, name="year_report"),
    path("jaar/<int:year>/pdf/", views.year_report_pdf, name="year_report_pdf"),
    path("jaar/<int:year>/voorstellen/", views.proposal_list, name="proposals"),
    path("jaar/<int:year>/voorstellen/<int:pk>/stem/", views.proposal_vote, name="proposal_vote"),
    path("jaar/<int:year>/voorstellen/<int:pk>/accepteren/", views.proposal_accept, name="proposal_accept"),
]
