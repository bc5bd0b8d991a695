"""The production settings with only Django's session and authentication middleware, for the bare page.

``DJANGO_SETTINGS_MODULE=bench.settings_bare`` with the same gunicorn command as production: what a signed-in
request costs before the app adds anything (the floor is reported as a ratio to it).
"""

from config.settings import *  # noqa: F403

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "bench.urls_bare"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
