"""Settings for the test suite (``DJANGO_SETTINGS_MODULE`` in pytest.ini).

The production module with what tests change, each said here rather than detected: a fixed secret key, fast
password hashing, per-process caches without Redis, no persistent connections, static files from the finders, and
plain HTTP (no HTTPS redirect, no secure-only cookies, no HSTS) for the test client and the live server. Every
other security setting (CSP, cookie flags, MFA, rate limits, sessions) is the production one, so the tests prove it.
A subprocess that must run as production does sets ``DJANGO_SETTINGS_MODULE=config.settings`` itself.
"""

import os

# Set before the production module reads it, which requires a key when not debugging; one from the environment wins.
os.environ.setdefault("SECRET_KEY", "insecure-test-key-do-not-use-in-production-0123456789abcdefghijklmnop")

from config.settings import *  # noqa: F403
from config.settings import DATABASES, REDIS_URL, STORAGES, env

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Plain HTTP for the test client and the live server; tests of these headers set them with override_settings.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
