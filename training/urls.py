from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.offer, name="offer"),
    path("mijn/", views.mine, name="mine"),
    path("agenda/vernieuwen/", views.feed_rotate, name="feed_rotate"),
    path("agenda/<str:token>.ics", views.feed, name="feed"),
    path("sessies/", views.session_list, name="session_list"),
    path("sessies/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessies/<int:pk>/bewerken/", views.session_form, name="session_edit"),
    path("sessies/<int:pk>/inschrijven/", views.session_enrol, name="session_enrol"),
    path("sessies/<int:pk>/afmelden/", views.session_cancel, name="session_cancel"),
    path("sessies/<int:pk>/annuleren/", views.session_call_off, name="session_call_off"),
    path("sessies/<int:pk>/collega-inschrijven/", views.session_enrol_colleague, name="session_enrol_colleague"),
    path("sessies/<int:pk>/collega-zoeken/", views.session_colleague_search, name="session_colleague_search"),
    path("sessies/<int:pk>/aanwezigheid/", views.attendance, name="attendance"),
    path("sessies/<int:pk>/presentielijst/", views.attendance_list, name="attendance_list"),
    path("inschrijvingen/<int:pk>/uitnodiging.ics", views.enrolment_invite, name="enrolment_invite"),
    path("inschrijvingen/<int:pk>/certificaat.pdf", views.certificate, name="certificate"),
    path("inschrijvingen/<int:pk>/verwijderen/", views.enrolment_remove, name="enrolment_remove"),
    path("modules/", views.module_list, name="module_list"),
    path("modules/nieuw/", views.module_form, name="module_create"),
    path("modules/<int:pk>/", views.module_detail, name="module_detail"),
    path("modules/<int:pk>/bewerken/", views.module_form, name="module_edit"),
    path("modules/<int:module_pk>/sessies/nieuw/", views.session_form, name="session_create"),
    path("materiaal/<int:pk>/", views.material_download, name="material_download"),
    path("materiaal/<int:pk>/verwijderen/", views.material_delete, name="material_delete"),
    path("voortgang/", views.progress, name="progress"),
    path("voortgang/herinneren/", views.progress_remind, name="progress_remind"),
]
