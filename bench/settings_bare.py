"""The production settings with only Django's session and authentication middleware, for the bare page.

``DJANGO_SETTINGS_MODULE=bench.settings_bare`` with the same gunicorn command as production: what a signed-in
request costs before the app adds anything (the floor is reported as a ratio to it).
"""

from config.settings import *  # noqa: F403

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
# The same apps (the user model needs them), allauth's account app without its check for its middleware.
INSTALLED_APPS = [
    "bench.bare_apps.BareAccountConfig" if app == "allauth.account" else app
    for app in INSTALLED_APPS  # noqa: F405
]
ROOT_URLCONF = "bench.urls_bare"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
