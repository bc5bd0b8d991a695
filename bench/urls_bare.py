"""The URLs of ``bench.settings_bare``: the bare page only, at the same path as under the full settings."""

from django.urls import include, path

urlpatterns = [path("bench/", include("bench.urls"))]
