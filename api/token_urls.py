from django.urls import path

from api import pages

app_name = "api_tokens"

urlpatterns = [
    path("", pages.tokens, name="list"),
    path("<int:pk>/intrekken/", pages.token_revoke, name="revoke"),
]
