from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("medewerkers/", views.people_list, name="people"),
    path("medewerkers/uitnodigen/", views.invite, name="invite"),
    path("medewerkers/import/", views.hr_import_view, name="hr_import"),
    path("afdelingen/", views.department_list, name="departments"),
    path("afdelingen/<int:pk>/", views.department_detail, name="department"),
    path("voorkeuren/", views.preferences, name="preferences"),
    path("afmelden/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
