"""Settings shared by every environment; everything that varies comes from the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is convenient in development; it is never required.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal.core",
    "portal.centres",
    "portal.accounts",
    "resources.taxonomy",
    "resources.experiences",
    "resources.publications",
    "resources.library",
    "network.events",
    "network.newsletters",
    "anymail",
    "network.programme",
    "network.reporting",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# The zero-setup demo runs on SQLite; every real run (tests included) sets DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Experience-sheet import files (command import_experiences): larger files are refused unread.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=50 * 1024 * 1024)

# Mail: EMAIL_URL such as smtp://user:pass@host:25 or consolemail://
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Portail CRPV <ne-pas-repondre@crpv.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Event registrations (docs/registration.md): mails are sent in the centre's name from this address.
REGISTRATION_LINK_MAX_AGE_DAYS = env.int("REGISTRATION_LINK_MAX_AGE_DAYS", default=400)
EVENT_REMINDER_DAYS = env.int("EVENT_REMINDER_DAYS", default=2)
REGISTRATION_ERASURE_MONTHS = env.int("REGISTRATION_ERASURE_MONTHS", default=12)
# Newsletters (docs/newsletters.md): confirmation links expire; one-click unsubscribe never does.
NEWSLETTER_CONFIRM_MAX_AGE_DAYS = env.int("NEWSLETTER_CONFIRM_MAX_AGE_DAYS", default=7)
# Provider webhooks (django-anymail): "user:password" the provider sends as basic auth.
ANYMAIL = {"WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", default="")}
NEWSLETTER_UNSUBSCRIBE_MAILBOX = env("NEWSLETTER_UNSUBSCRIBE_MAILBOX", default="desinscription@crpv.localhost")
# Saved-search alerts (docs/alerts.md) look at pages published up to this many minutes ago: the
# search index has caught up with them by then.
ALERT_INDEX_DELAY_MINUTES = env.int("ALERT_INDEX_DELAY_MINUTES", default=15)
# Sending issues (docs/newsletter-sending.md).
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=100)
NEWSLETTER_MAX_ATTEMPTS = env.int("NEWSLETTER_MAX_ATTEMPTS", default=5)
NEWSLETTER_RETRY_SECONDS = env.int("NEWSLETTER_RETRY_SECONDS", default=300)
NEWSLETTER_TASK_WORKERS = env.int("NEWSLETTER_TASK_WORKERS", default=1)

# Search engine: set OPENSEARCH_URL to use OpenSearch; unset, search answers from the database.
OPENSEARCH_URL = env("OPENSEARCH_URL", default="")
OPENSEARCH_INDEX_PREFIX = env("OPENSEARCH_INDEX_PREFIX", default="crpv")
# "opensearch" (opensearch-py) or "elasticsearch" (elasticsearch 8/9 with elasticsearch.dsl).
SEARCH_ENGINE = env("SEARCH_ENGINE", default="opensearch")
# Seconds a query may wait on the engine before search answers from the database; indexing and
# maintenance wait longer. After SEARCH_BREAKER_FAILURES failed queries in a row, a process skips
# the engine for SEARCH_BREAKER_SECONDS (docs/search.md, « When the engine fails »).
SEARCH_QUERY_TIMEOUT = env.float("SEARCH_QUERY_TIMEOUT", default=1.0)
SEARCH_INDEX_TIMEOUT = env.float("SEARCH_INDEX_TIMEOUT", default=10.0)
SEARCH_BREAKER_FAILURES = env.int("SEARCH_BREAKER_FAILURES", default=3)
SEARCH_BREAKER_SECONDS = env.float("SEARCH_BREAKER_SECONDS", default=30.0)

# Wagtail's own admin search stays on the database: our search package owns the engine.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend")}}

# Rate counters and cached sheet PDFs. Several web processes need a shared cache: the database
# cache (`dbcache://crpv_cache`, table made by `manage.py createcachetable`) is the production default.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Requests per client IP on the expensive anonymous endpoints ("count/s", "/m", "/h" or "/d").
# Only RATELIMIT_ENABLED=false switches them off (load tests); DEBUG does not.
RATELIMIT_ENABLED = env.bool("RATELIMIT_ENABLED", default=True)
RATELIMITS = {
    "search": env("RATELIMIT_SEARCH", default="60/m"),
    "suggest": env("RATELIMIT_SUGGEST", default="300/m"),
    "export": env("RATELIMIT_EXPORT", default="20/h"),
    "pdf": env("RATELIMIT_PDF", default="30/m"),
    "registration": env("RATELIMIT_REGISTRATION", default="20/h"),
    "newsletter": env("RATELIMIT_NEWSLETTER", default="20/h"),
}
# Number of reverse proxies in front of the portal that append to X-Forwarded-For; 0 trusts none
# and counts REMOTE_ADDR (a client can write any X-Forwarded-For it likes).
RATELIMIT_TRUSTED_PROXIES = env.int("RATELIMIT_TRUSTED_PROXIES", default=0)
# A rendered sheet PDF is kept until the page is published again (the key holds its revision).
SHEET_PDF_CACHE_SECONDS = env.int("SHEET_PDF_CACHE_SECONDS", default=30 * 86400)

# Text extraction from uploaded documents (resources/publications/services.py): bounds per document.
DOCUMENT_TEXT_MAX_FILE_SIZE = env.int("DOCUMENT_TEXT_MAX_FILE_SIZE", default=50 * 1024 * 1024)
DOCUMENT_TEXT_MAX_PAGES = env.int("DOCUMENT_TEXT_MAX_PAGES", default=500)
DOCUMENT_TEXT_MAX_CHARS = env.int("DOCUMENT_TEXT_MAX_CHARS", default=1_000_000)
DOCUMENT_TEXT_TIMEOUT = env.int("DOCUMENT_TEXT_TIMEOUT", default=60)

# `load_demo_data` resets the demo accounts to a published password: development and tests only.
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=False)
# The demo (settings.dev) serves uploaded media itself; production leaves it to the web server.
SERVE_MEDIA = False
# The 500 page says the team was told only when someone is: ADMINS (mailed by Django) or
# ERROR_REPORTING=true when errors are collected another way (log alerts, an error tracker).
ADMINS = [("Équipe technique", address) for address in env.list("ADMINS", default=[])]
ERROR_REPORTING = env.bool("ERROR_REPORTING", default=False)

WAGTAILAPI_LIMIT_MAX = 100
WAGTAIL_SITE_NAME = "Portail des centres de ressources politique de la ville"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# Domain part of the agenda's iCalendar UIDs (<page uid>[-<session id>]@domain): never change it once published.
CALENDAR_UID_DOMAIN = env("CALENDAR_UID_DOMAIN", default="agenda.crpv.localhost")
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAILADMIN_USER_LOGIN_FORM = "portal.accounts.forms.LoginForm"
# Privacy: the admin calls no outside service — no Gravatar avatars (they send a hash of each
# editor's address to gravatar.com), no check of Wagtail's latest release on each dashboard view.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Editors of one centre must not see other centres' private collections by default.
WAGTAIL_WORKFLOW_ENABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Task and page-lifecycle chatter drowns what matters at INFO.
    "loggers": {
        name: {"level": "WARNING"}
        for name in (
            "django_tasks",
            "wagtail",
            "modelsearch",
            "opensearch",
            "opensearchpy.trace",
            "elastic_transport",
            "weasyprint.progress",  # « Step 2 - Fetching and parsing CSS » for every PDF
        )
    },
}
