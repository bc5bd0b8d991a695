from django.urls import path

from ambassadors import views

app_name = "ambassadors"

urlpatterns = [
    path("word-ambassadeur/", views.nomination_create, name="nominate"),
    path("voordrachten/", views.nomination_list, name="nominations"),
    path("voordrachten/<int:pk>/", views.nomination_detail, name="nomination"),
    path("dekking/", views.coverage, name="coverage"),
    path("afdelingen/<int:pk>/geschiedenis/", views.department_history, name="department_history"),
    path("overzicht/", views.ambassador_list, name="ambassador_list"),
    path("profiel/<int:pk>/", views.profile, name="profile"),
    path("activiteiten/", views.activity_list, name="activity_list"),
    path("activiteiten/nieuw/", views.activity_create, name="activity_create"),
    path("activiteiten/<int:pk>/bewerken/", views.activity_update, name="activity_update"),
    path("activiteiten/<int:pk>/verwijderen/", views.activity_delete, name="activity_delete"),
    path("feedback/geven/", views.feedback_start, name="feedback_start"),
    path("feedback/afdeling/<int:pk>/", views.feedback_give, name="feedback_give"),
    path("feedback/afdeling/<int:pk>/poster/", views.feedback_poster, name="feedback_poster"),
    path("feedback/", views.feedback_list, name="feedback_list"),
    path("feedback/mijn/", views.my_feedback, name="my_feedback"),
    path("feedback/vastleggen/", views.feedback_record, name="feedback_record"),
    path("feedback/<int:pk>/", views.feedback_triage, name="feedback_triage"),
    path("feedback/statistieken/", views.feedback_statistics, name="feedback_statistics"),
    path("bijeenkomsten/", views.event_list, name="events"),
    path("bijeenkomsten/nieuw/", views.event_create, name="event_create"),
    path("bijeenkomsten/<int:pk>/", views.event_detail, name="event"),
    path("bijeenkomsten/<int:pk>/bewerken/", views.event_update, name="event_update"),
    path("bijeenkomsten/<int:pk>/aanmelden/", views.event_rsvp, name="event_rsvp"),
    path("bijeenkomsten/<int:pk>/afmelden/", views.event_cancel, name="event_cancel"),
    path("bijeenkomsten/<int:pk>/aanwezigheid/", views.event_attendance, name="event_attendance"),
    path("bijeenkomsten/<int:pk>/uitnodiging.ics", views.event_ics, name="event_ics"),
    path("erkenningen/", views.recognition_list, name="recognitions"),
    path("erkenningen/nieuw/", views.recognition_create, name="recognition_create"),
    path("niveaus/", views.levels, name="levels"),
    path("niveaus/instellingen/", views.levels_settings, name="levels_settings"),
]
