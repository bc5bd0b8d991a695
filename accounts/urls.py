from django.urls import path

from accounts import organisation_views, views

app_name = "accounts"

urlpatterns = [
    path("medewerkers/", views.people_list, name="people"),
    path("medewerkers/uitnodigen/", views.invite, name="invite"),
    path("medewerkers/import/", views.hr_import_view, name="hr_import"),
    path("afdelingen/", views.department_list, name="departments"),
    path("afdelingen/zoeken/", views.department_search, name="department_search"),
    path("afdelingen/<int:pk>/", views.department_detail, name="department"),
    path("afdelingen/<int:pk>/corrigeren/", organisation_views.department_edit, name="department_edit"),
    path("organisatie/", organisation_views.organisation_settings, name="organisation_settings"),
    path("organisatie/functionarissen/", organisation_views.officers, name="officers"),
    path("organisatie/functionarissen/<int:pk>/beeindigen/", organisation_views.officer_end_view, name="officer_end"),
    path("organisatie/logo/", organisation_views.organisation_logo, name="organisation_logo"),
    path("organisaties/", organisation_views.organisation_list, name="organisations"),
    path("organisaties/nieuw/", organisation_views.organisation_create_view, name="organisation_create"),
    path("voorkeuren/", views.preferences, name="preferences"),
    path("afmelden/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
