from django.urls import path

from ambassadors.programmes import views

app_name = "department_programmes"

urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("opstellen/", views.programme_start, name="programme_start"),
    path("overzicht/<year:year>/", views.programme_overview, name="overview"),
    path("<int:pk>/", views.programme_detail, name="programme"),
    path("<int:pk>/onderdeel/nieuw/", views.item_create, name="item_create"),
    path("<int:pk>/indienen/", views.programme_submit, name="programme_submit"),
    path("<int:pk>/besluit/", views.programme_decide, name="programme_decide"),
    path("<int:pk>/kopieren/", views.programme_copy, name="programme_copy"),
    path("onderdelen/<int:pk>/bewerken/", views.item_update, name="item_update"),
    path("onderdelen/<int:pk>/verwijderen/", views.item_delete, name="item_delete"),
    path("goede-voorbeelden/", views.practice_list, name="practices"),
    path("goede-voorbeelden/delen/", views.practice_create, name="practice_create"),
    path("goede-voorbeelden/<int:pk>/overnemen/", views.practice_adopt, name="practice_adopt"),
    path("goede-voorbeelden/<int:pk>/uitlichten/", views.practice_feature, name="practice_feature"),
    path("goede-voorbeelden/<int:pk>/kwartaalmailing/", views.practice_mailing, name="practice_mailing"),
]
