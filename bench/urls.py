from django.urls import path

from bench import views

app_name = "bench"
urlpatterns = [path("kaal/", views.bare, name="bare")]
