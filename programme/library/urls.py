from django.urls import path

from programme.library import views

app_name = "topic_library"

urlpatterns = [
    path("", views.library, name="index"),
    path("publicatie/<int:pk>/", views.publication_detail, name="publication"),
    path("publicatie/<int:pk>/overnemen/", views.publication_adopt, name="publication_adopt"),
    path("publicatie/<int:pk>/intrekken/", views.publication_withdraw, name="publication_withdraw"),
    path("materiaal/<int:pk>/", views.publication_material, name="material"),
    path("onderwerp/<int:pk>/publiceren/", views.topic_publish, name="topic_publish"),
    path("onderwerp/<int:pk>/nieuwe-versie/", views.adoption_update, name="adoption_update"),
]
