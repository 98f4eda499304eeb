"""Settings shared by every environment; values that differ per machine come from the environment.

See https://docs.wagtail.org/en/stable/reference/settings.html
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms.accounts",
    "home",
    "kennisbank",
    "kennisbank.search",
    "events",
    "members_area",
    "members_area.subscriptions",
    "members_area.burenhulp",
    "members_area.membership",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.frontend_cache",  # purges a CDN/Varnish on publish when configured
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
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files come compressed from disk), above the page cache: a cached
    # page is stored compressed and sent as it is; everything else is compressed here, with
    # Django's BREACH padding (cms/page_cache.py).
    "django.middleware.gzip.GZipMiddleware",
    # Above the page cache so that cached pages get the request id and the security headers too.
    "cms.structured_logging.RequestIdMiddleware",
    "cms.security.SecurityHeadersMiddleware",
    # Before sessions and CSRF: a hit for an anonymous visitor skips all of that work.
    "cms.page_cache.AnonymousPageCacheMiddleware",
    # Wagtail's site and its root paths, from this process's memory (cms/sites.py).
    "cms.sites.SiteLookupMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor authentication for the admin's people (cms/accounts/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "cms.accounts.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a lockout into the 429 answer (cms.accounts.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.text_size",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite in the checkout unless DATABASE_URL names another database (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections: a new one per request cost a TCP connect and authentication on
        # PostgreSQL and the PRAGMAs below on SQLite (11% of an uncached page). Each gunicorn
        # worker keeps one; DB_CONN_MAX_AGE=0 closes it after every request.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "600")),
        # A persistent connection that died with a database restart is replaced at the start of
        # the next request, so a worker recovers without a restart (cms/errors.py).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server, the test live server and concurrent sign-ups
    # share one file without "database is locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Dutch first, English for expats.
# https://docs.wagtail.org/en/stable/advanced_topics/i18n.html
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Strings in an app's code are translated in <app>/locale; strings in the shared templates/ folder
# and in cms/ in locale/ (`make messages`: makemessages from the project root finds both, so no
# template has to live inside an app). A LOCALE_PATHS catalogue takes precedence over the apps'.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "stadsdorpen",
    },
    # Wagtail's image renditions, in each process's memory for the content generation: with
    # Redis they cost two round trips per picture (cms/page_cache.py, GenerationMemoryCache).
    "renditions": {
        "BACKEND": "cms.page_cache.GenerationMemoryCache",
        "LOCATION": "renditions",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
if os.environ.get("REDIS_URL"):
    # Django's Redis backend with short timeouts and a circuit breaker: without Redis each worker
    # caches in its own memory for a few seconds and pages come from the database (cms/cache.py).
    CACHES["default"] = {
        "BACKEND": "cms.cache.ResilientRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "stadsdorpen",
        "BREAKER_SECONDS": float(os.environ.get("CACHE_BREAKER_SECONDS", "3")),
        "OUTAGE_SECONDS": float(os.environ.get("CACHE_OUTAGE_SECONDS", "5")),
    }

# Whole-page cache for anonymous visitors (cms/page_cache.py); needs a shared cache between
# workers for invalidation, hence on by default only with Redis.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", bool(os.environ.get("REDIS_URL")))
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Anonymous pages that the page cache may store also tell a CDN or proxy in front that it may
# keep them this long (`Cache-Control: public, max-age=0, s-maxage=N`); Wagtail's frontend cache
# purging (FRONTEND_CACHE_BACKEND) empties them on publish. 0 switches the header off.
CDN_CACHE_SECONDS = int(os.environ.get("CDN_CACHE_SECONDS", str(PAGE_CACHE_SECONDS)))
# Extra image/media origins for the public Content-Security-Policy (cms/security.py), e.g. a
# CDN; production.py adds the S3 media origin itself.
CSP_EXTRA_IMG_SRC = env_list("CSP_EXTRA_IMG_SRC")
# /health/ answers 503 only when one of these fails; a failing cache or search engine makes it
# "degraded" (200): the site still serves, from the database (cms/health.py).
REQUIRED_CHECKS = env_list("REQUIRED_CHECKS", "database")

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The SMTP server (production.py reads the same variables); the newsletter sender and its tests use
# them too. https://docs.djangoproject.com/en/5.2/ref/settings/#email-host
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Stadsdorpen Netwerk <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The member area's language-aware login (members_area/urls.py): /nl/login/ or /en/login/.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    # First: refuses every login while the account or the address is locked (cms.accounts.lockout).
    "axes.backends.AxesStandaloneBackend",
    "members_area.backends.EmailBackend",  # members log in with their e-mail address
    "members_area.backends.LoginCodeBackend",  # ... or with a code sent by e-mail
    "django.contrib.auth.backends.ModelBackend",  # the Wagtail admin keeps usernames
]

# Reverse proxies in front of the app (compose.yaml: Caddy = 1). The client address is the
# TRUSTED_PROXY_COUNT-th entry from the right of X-Forwarded-For; 0 ignores the header.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Login lockouts (django-axes, accounts/lockout.py): 5 failures per account or 20 per client
# address lock password logins (or code logins) for 15 minutes after the last try; counted in
# the database. https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_HANDLER = "cms.accounts.lockout.LoginAttemptHandler"
AXES_FAILURE_LIMIT = 5
LOGIN_FAILURES_PER_ADDRESS = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "cms.accounts.lockout.attempt_key"
AXES_CLIENT_IP_CALLABLE = "cms.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "cms.accounts.lockout.lockout_response"
# A success does not wipe the address's count (one known password must not reset a spray).
AXES_RESET_ON_SUCCESS = False
# No log of every successful login (personal data we do not need); failures expire with the lock.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code", "otp_token"]
WAGTAILADMIN_USER_LOGIN_FORM = "cms.accounts.forms.AdminLoginForm"

# Two-factor authentication (cms/accounts/two_factor.py): required for administrators and these
# groups unless ADMIN_2FA_REQUIRED=false; whoever enrolled always needs it.
ADMIN_2FA_REQUIRED = env_bool("ADMIN_2FA_REQUIRED", True)
ADMIN_2FA_REQUIRED_GROUPS = ["Redacteuren", "Moderatoren"]
OTP_TOTP_ISSUER = "Netwerk Stadsdorpen"
# Sessions: 30 days for "Ingelogd blijven"; otherwise the login view ends them at browser close.
SESSION_COOKIE_AGE = 30 * 24 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# With Redis, sessions are read from the cache and written through to the database: every
# logged-in request saves a query, and a Redis restart logs nobody out.
# https://docs.djangoproject.com/en/5.2/topics/http/sessions/#using-cached-sessions
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background work (cms/tasks.py): django-tasks with its database backend; `manage.py db_worker`
# runs the tasks, `manage.py run_scheduler` enqueues the periodic ones (cms/scheduler.py).
# https://docs.wagtail.org/en/stable/reference/settings.html#tasks
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "newsletters"],
    }
}
SCHEDULED_JOBS = [
    # Wagtail's scheduled publishing: a page set to go live at T is live by T + 30 s (+ the queue).
    {
        "name": "publish_scheduled",
        "task": "cms.tasks.run_command",
        "args": ["publish_scheduled"],
        "every": 30,
    },
    {
        "name": "newsletters",
        "task": "members_area.subscriptions.tasks.send_due_newsletters",
        "every": 30,
    },
    {
        "name": "expired_sessions",
        "task": "cms.tasks.run_command",
        "args": ["clearsessions"],
        "every": 3600,
    },
    {
        "name": "expired_login_codes",
        "task": "members_area.tasks.delete_expired_login_codes",
        "every": 3600,
    },
    # Burenhulp: expire ended posts, remind askers, the daily e-mail (members_area/burenhulp).
    {
        "name": "burenhulp_daily",
        "task": "cms.tasks.run_command",
        "args": ["burenhulp_daily"],
        "at": "07:00",
    },
    # Membership (AVG): erase ended memberships and declined applications after the retention.
    {
        "name": "purge_memberships",
        "task": "cms.tasks.run_command",
        "args": ["purge_memberships"],
        "at": "02:30",
    },
    {
        "name": "old_task_results",
        "task": "cms.tasks.run_command",
        "args": ["prune_db_task_results", "--min-age-days=30"],
        "at": "03:15",
    },
    # Nightly: Wagtail's search index and the kennisbank's, from scratch (both are derived data).
    {
        "name": "search_index",
        "task": "cms.tasks.run_command",
        "args": ["update_index"],
        "at": "03:30",
    },
    {
        "name": "kennisbank_index",
        "task": "cms.tasks.run_command",
        "args": ["kennisbank_reindex", "--no-progress"],
        "at": "04:00",
    },
]

# Backups (backup_site / restore_site) are encrypted with this Fernet key when it is set
# (cms/backup_crypto.py). Keep the key apart from the backups.
BACKUP_ENCRYPTION_KEY = os.environ.get("BACKUP_ENCRYPTION_KEY", "")

# Wagtail
WAGTAIL_SITE_NAME = "Netwerk Stadsdorpen"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_FRONTEND_LOGIN_URL = "login"
# The admin's own page search. On PostgreSQL it stems with the Dutch text search configuration
# (SEARCH_CONFIG, https://docs.wagtail.org/en/stable/topics/search/backends.html); SQLite ignores
# it. After changing it: ./manage.py update_index. The public kennisbank search has its own.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "dutch"}
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "md"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Private images (in a restricted collection) are stored and served apart: home/models/images.py.
WAGTAILIMAGES_IMAGE_MODEL = "home.SiteImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Read from the file's header before anything is decoded, on every image upload (the admin and
# the contact persons' form): every rendition of a 144-megapixel PNG held a worker for 17-32 s.
# 40 megapixels is more than a 24-MP camera or a phone's default photo.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# Documents are always served through Wagtail's view, which checks collection privacy; a direct
# media URL would bypass it. https://docs.wagtail.org/en/stable/reference/settings.html#wagtaildocs-serve-method
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Only these open in the browser; every other document (and anything that claims to be HTML or
# SVG) is sent with Content-Disposition: attachment, and inline ones get a sandboxing CSP.
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# The kennisbank search engine: "database" (embedded default) or "elasticsearch".
KENNISBANK_SEARCH_ENGINE = os.environ.get("KENNISBANK_SEARCH_ENGINE", "database")
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
