"""Tests: always PostgreSQL (DATABASE_URL), never SQLite."""

import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "Tests run on PostgreSQL only: set DATABASE_URL=postgres://… (`make test` starts a server)."
    )

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users in tests
# In memory, unless a test starts a subprocess that must reach its SMTP server on loopback.
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the finders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The node started by `make test` is for the search tests, which opt in with the
# `search_engine` fixture (its own index prefix); other tests index into the database only.
SEARCH_TEST_URL = OPENSEARCH_URL  # noqa: F405
OPENSEARCH_URL = ""

# Uploaded and generated files (demo PDFs…) go to a scratch folder, not the work tree.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "crpv-test-media"

# A dummy content kind (tests/kinds_app): proves new page types plug in by declaring themselves.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.kinds_app"]  # noqa: F405
DEMO_DATA_ALLOWED = True
# The production cache (the database; `createcachetable` in conftest); rolled back with each test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "crpv_cache"}}
# Rate limits stay on, high enough for any test; the 429 tests lower one with `settings`.
RATELIMITS = dict.fromkeys(RATELIMITS, "10000/m")  # noqa: F405
