from django.urls import path

from evaluation.surveys import views

urlpatterns = [
    path("enquetes/", views.survey_list, name="survey_list"),
    path("enquetes/nieuw/", views.survey_create, name="survey_create"),
    path("enquetes/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("enquetes/<int:pk>/bewerken/", views.survey_update, name="survey_update"),
    path("enquetes/<int:pk>/verwijderen/", views.survey_delete, name="survey_delete"),
    path("enquetes/<int:pk>/vragen/nieuw/", views.question_add, name="question_add"),
    path("enquetes/<int:pk>/vragen/<int:question_pk>/bewerken/", views.question_edit, name="question_edit"),
    path("enquetes/<int:pk>/vragen/<int:question_pk>/verplaatsen/", views.question_move, name="question_move"),
    path("enquetes/<int:pk>/vragen/<int:question_pk>/verwijderen/", views.question_remove, name="question_remove"),
    path("enquetes/<int:pk>/voorbeeld/", views.survey_preview, name="survey_preview"),
    path("enquetes/<int:pk>/openen/", views.survey_open, name="survey_open"),
    path("enquetes/<int:pk>/sluiten/", views.survey_close, name="survey_close"),
    path("enquetes/<int:pk>/resultaten/", views.survey_results_view, name="survey_results"),
    path(
        "enquetes/<int:pk>/resultaten/export.<str:fmt>",
        views.survey_results_export,
        name="survey_results_export",
    ),
    path("enquetes/<int:pk>/invullen/", views.survey_respond, name="survey_respond"),
    path("enquetes/<int:pk>/meting/", views.survey_measurement, name="survey_measurement"),
    path("enquetes/<int:pk>/vergelijking/", views.survey_compare, name="survey_compare"),
]
