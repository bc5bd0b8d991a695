from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import metrics, views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Ambassadeursprogramma"

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    # Before allauth's: the organisation's own identity provider (start, callback, settings).
    path("", include("accounts.sso_urls")),
    path("health/", views.health, name="health"),
    path("metrics", metrics.metrics, name="metrics"),
    path("accounts/", include("allauth.urls")),
    path("beheer/", admin.site.urls),
    path("mensen/", include("accounts.urls")),
    path("programma/bibliotheek/", include("programme.library.urls")),
    path("programma/", include("programme.urls")),
    path("ambassadeurs/afdelingsprogramma/", include("ambassadors.programmes.urls")),
    path("ambassadeurs/", include("ambassadors.urls")),
    path("training/", include("training.urls")),
    path("datalekken/", include("incidents.urls")),
    path("evaluatie/", include("evaluation.urls")),
    path("api/", include("api.urls")),
    path("organisatie/api-tokens/", include("api.token_urls")),
]

handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler429 = "config.views.too_many_requests"
handler500 = "config.views.server_error"

# The benchmark's bare page (bench/run.sh only): the same view as bench.settings_bare serves, here through every
# middleware of the app.
if "bench" in settings.INSTALLED_APPS:
    urlpatterns.append(path("bench/", include("bench.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
