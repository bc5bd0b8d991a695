from django.urls import path

from evaluation.dashboards import views

urlpatterns = [
    path("afdeling/<int:pk>/", views.department_dashboard, name="department_dashboard"),
    path(
        "afdeling/<int:pk>/export/<slug:table>.<str:fmt>",
        views.department_export,
        name="department_export",
    ),
    path("afdeling/<int:pk>/overzicht/", views.director_dashboard, name="director_dashboard"),
    path("programma/", views.programme_dashboard, name="programme_dashboard"),
    path("programma/export/<slug:table>.<str:fmt>", views.programme_export, name="programme_export"),
]
