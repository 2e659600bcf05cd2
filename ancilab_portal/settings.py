"""The one settings module of the AnciLab portal.

Every value that differs between a laptop and production comes from an environment variable (documented in README.md).
The embedded defaults run the whole portal with nothing installed but Python: SQLite under var/, Celery tasks executed
in-process after commit, local-memory cache, emails written as files under var/mail/. Unsafe production values fail loudly
at start-up instead of being guessed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def _load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from a local .env (written by `make run` for development) without overriding the real
    environment."""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


# The checkout's .env is for development (`make run` writes DEBUG=1 into it), so only manage.py reads it (runserver,
# createsuperuser, the demo loaders), and a process started with READ_DOTENV=1 (make run's Celery scheduler). gunicorn,
# Celery and the test suite otherwise take their configuration from the environment alone: a .env left in a checkout
# can never turn DEBUG on, or stand in for SECRET_KEY, in a production process.
DOTENV_PATH = BASE_DIR / ".env"
DOTENV_READ = DOTENV_PATH.is_file() and (
    Path((sys.argv or [""])[0]).name == "manage.py" or os.environ.get("READ_DOTENV") == "1"
)
if DOTENV_READ:
    _load_dotenv(DOTENV_PATH)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """A boolean variable; garbage raises instead of silently meaning False (a typo must not disable security)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off).")


def _env_number(name: str, default, cast, kind: str):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return cast(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not {kind}.") from exc


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "an integer")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", default=False)
# The test run sets TESTING=1 itself (tests/support/environment.py, loaded by pytest before these settings): test
# defaults (no HTTPS redirect, plain static storage) only when something says so explicitly.
TESTING = env_bool("TESTING", default=False)
if DOTENV_PATH.is_file() and not (DOTENV_READ or TESTING):
    print(
        f"settings: {DOTENV_PATH} not read: only manage.py (or READ_DOTENV=1) reads the development .env; "
        "this process takes its configuration from the environment.",
        file=sys.stderr,
    )
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off. Set SECRET_KEY (a long random string) in production, "
            "or DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"  # noqa: S105 - development only
# Former keys, still accepted for signed values (sessions, signed cookies) while a new SECRET_KEY is rolled out.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The name emails and PDFs give the site (allauth's subject prefix and greeting), never the request's Host.
SITE_NAME = env_str("SITE_NAME", "AnciLab")

INSTALLED_APPS = [
    # Django's admin with the portal's AdminSite (allauth login + MFA, dashboard index): backoffice/apps.py.
    "backoffice.apps.BackofficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Shared infrastructure (cache tiers, validators, widgets, formats, template tags, charts): imports no domain app.
    "core",
    # Domain apps, each owning its rules: projects <- labs <- registrations; publications -> labs, projects.
    "projects",
    "labs",
    "publications",
    "registrations",
    # Satisfaction surveys and the "after the meeting" email (materials, certificate, survey): uses labs, registrations.
    "surveys",
    # PDF documents (catalogue, programme, sign-in sheet, certificates) and the public site's own pages.
    "documents",
    "website",
    # Demo content loaders (management commands).
    "demo",
]

MIDDLEWARE = [
    # First: X-Forwarded-For/-Proto count only from TRUSTED_PROXIES (core/clientip.py), before anything reads them.
    "core.clientip.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control for pages whose view sets none, and gzip for everything but personal pages (website/middleware.py).
    "website.middleware.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff sessions end at browser close and after STAFF_SESSION_IDLE_MINUTES idle (issue 14).
    "backoffice.sessions.StaffSessionMiddleware",
    # Staff without a TOTP authenticator are sent to set one up before anything else (back-office, issue 6).
    "backoffice.middleware.StaffMFARequiredMiddleware",
    # django-axes lockouts also stop allauth's passwordless login steps (login code, TOTP code).
    "backoffice.security.AuthLockoutMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it locks out repeated failed staff logins.
    "axes.middleware.AxesMiddleware",
    # Innermost: a page this process already holds is served before URL resolution (core/cache.py).
    "core.cache.LocalPageMiddleware",
]

ROOT_URLCONF = "ancilab_portal.urls"
WSGI_APPLICATION = "ancilab_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        # APP_DIRS is off because the cached loader is configured explicitly (cached in production, fresh in DEBUG).
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ]
            if not DEBUG
            else [
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")


def _database_from_url(url: str) -> dict:
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # psycopg 3's pool in every process (gunicorn worker, celery worker); CONN_MAX_AGE must be 0 with a pool.
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})
        if env_bool("DATABASE_POOL", default=True):
            # With health checks on, Django's pool checks each connection on checkout, so a connection killed by a
            # PostgreSQL restart is replaced instead of failing the next request (seen in `make resilience`).
            config["CONN_HEALTH_CHECKS"] = True
            config["OPTIONS"]["pool"] = {
                "min_size": env_int("DATABASE_POOL_MIN", 1),
                "max_size": env_int("DATABASE_POOL_MAX", 10),
                "timeout": 10,
            }
        config["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME", "test_ancilab")}
    elif config["ENGINE"] == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # WAL + a busy timeout let the dev server and the in-process tasks write without "database is locked".
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DATABASES = {"default": _database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -------------------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, reusing its redis client (a departure for speed: docs/performance.md).
            "BACKEND": "core.redis_cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_PREFIX", "ancilab"),
            # A cache that is down must slow a page, never break it: short timeouts, and the portal's own cache
            # helpers swallow connection errors.
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ancilab"}}
# The per-process tier in front of the shared cache (core/cache.py): how long a process trusts its copy of
# the content and seats versions (so how long another process may show a page from before an edit), and how many
# rendered pages it keeps. 0 turns either off.
CACHE_LOCAL_SECONDS = env_float("CACHE_LOCAL_SECONDS", 1.0)
CACHE_LOCAL_PAGES = env_int("CACHE_LOCAL_PAGES", 200)
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "ancilab-local-tier",
    # The pages, plus room for the two versions and the page policies (a few bytes each).
    "OPTIONS": {"MAX_ENTRIES": CACHE_LOCAL_PAGES + 1000},
}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
# Without a broker the tasks run in the calling process. They are still enqueued on commit, so the behaviour
# (a row first, then the email) is the same as in production.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not bool(REDIS_URL))
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TIMEZONE = "Europe/Rome"
# Publishing must fail fast when Redis is down: the outbox row is already committed and the sweeper re-enqueues it.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 1, "socket_timeout": 2}
CELERY_TASK_PUBLISH_RETRY = False

# --- Email ------------------------------------------------------------------------------------------------------------
EMAIL_URL_BACKEND = env_str("EMAIL_BACKEND", "")
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_URL_BACKEND:
    EMAIL_BACKEND = EMAIL_URL_BACKEND
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    # One .eml file per message in EMAIL_FILE_PATH (any mail client opens it): core/mail.py.
    EMAIL_BACKEND = "core.mail.EmlFileBackend"
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "AnciLab <laboratori@ancilab.it>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ---------------------------------------------------------------------------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano"), ("en", "English")]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Italian date formats with lower-case months ("3 novembre 2020"); no global thousand separator (it would format years).
FORMAT_MODULE_PATH = ["core.formats"]

# --- Static and media -------------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap-italia", BASE_DIR / "node_modules/bootstrap-italia/dist"),
    ("vendor/lora", BASE_DIR / "node_modules/@fontsource/lora/files"),  # static/css/fonts.css
    # The QR scanner of the check-in page (static/js/checkin-scanner.js): the Barcode Detection API ponyfill and the
    # ZXing WebAssembly decoder it loads, both served from here (never from a CDN).
    ("vendor/barcode-detector", BASE_DIR / "node_modules/barcode-detector/dist/iife"),
    ("vendor/zxing-wasm", BASE_DIR / "node_modules/zxing-wasm/dist/reader"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Uploads: Pillow refuses images above this many pixels (decompression bombs) and files above this size.
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
IMAGE_MAX_BYTES = env_int("IMAGE_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Authentication (django-allauth) ----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/5m/key"}
# No public signup, accounts of registrants created at their first code login, one verified address per account,
# emails from SITE_URL/SITE_NAME: registrations/accounts.py explains the design (issue 14, account pre-takeover).
ACCOUNT_ADAPTER = "registrations.accounts.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "registrations.accounts.LoginForm",
    "request_login_code": "registrations.accounts.RequestLoginCodeForm",
}
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
ACCOUNT_CHANGE_EMAIL = False
# Every auth form answers the same whether an address has an account or not, and unknown addresses get no email.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Login codes one address can be sent per day (0 = no cap), on top of allauth's per-minute limit.
LOGIN_CODE_EMAILS_PER_DAY = env_int("LOGIN_CODE_EMAILS_PER_DAY", 10)
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The audit trail is read-only: reverting a version would write around the services (core/history.py).
SIMPLE_HISTORY_REVERT_DISABLED = True

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
# allauth logs in with an email posted as "login": count axes failures per address, not only per IP.
AXES_USERNAME_CALLABLE = "backoffice.security.axes_username"
# One client address for every limit: django-axes and allauth's rate limits read it as the registration form does.
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
MFA_TOTP_ISSUER = "AnciLab"
# The lockout page is the portal's, in the visitor's language (issue 14), not axes' plain English text.
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# Staff sessions: a browser-session cookie, and logged out after this many minutes without a request.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30)

# --- Security ---------------------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not (DEBUG or TESTING) and env_bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it: forms carry the token in a hidden field
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31_536_000)
# includeSubDomains and preload bind every subdomain of the domain (and, once on the browsers' preload list, for
# months): an opt-in of whoever runs the domain, not a default of this application (issue 14).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# check --deploy warns about both being off; that is the deliberate default above.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not (DEBUG or TESTING))
# The reverse proxy's address(es) or networks. Only from these is X-Forwarded-For read (the client address of every
# per-IP limit: core/clientip.py) and X-Forwarded-Proto trusted; with none, REMOTE_ADDR is the client and HTTPS is what
# gunicorn itself sees.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# /healthz answers within this many seconds whatever is down: a probe still waiting then is reported "timeout".
HEALTHZ_TIMEOUT = env_float("HEALTHZ_TIMEOUT", 1.0)
# Report-only is a switch for diagnosing a policy problem in production without breaking pages.
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", default=False)

# Public PDFs (catalogue, lab programme; issue 14): new renders one client may ask for (cached documents are free),
# renders running at once across all processes (over it the visitor gets the self-refreshing "in preparazione" page),
# and whether a catalogue built without a broker (Celery eager) runs in a thread of its own instead of the request.
PDF_RENDER_RATE_LIMIT = env_str("PDF_RENDER_RATE_LIMIT", "30/h")
PDF_MAX_CONCURRENT_RENDERS = env_int("PDF_MAX_CONCURRENT_RENDERS", 2)
PDF_BUILD_IN_THREAD = env_bool("PDF_BUILD_IN_THREAD", default=not TESTING)

# Exposes /bench/bare, the do-nothing baseline view of `make bench`. Off in production.
BENCH_ENDPOINTS = env_bool("BENCH_ENDPOINTS", default=False)

# --- Portal -----------------------------------------------------------------------------------------------------------
ACCESSIBILITY_STATEMENT_URL = env_str(
    "ACCESSIBILITY_STATEMENT_URL", "https://form.agid.gov.it/view/00000000-0000-0000-0000-000000000000"
)
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "laboratori@ancilab.it")
# Registration rules (the registrations service reads these).
REGISTRATION_HOLD_HOURS = env_int("REGISTRATION_HOLD_HOURS", 48)
REGISTRATION_RATE_LIMIT_IP = env_str("REGISTRATION_RATE_LIMIT_IP", "20/h")
REGISTRATION_RATE_LIMIT_EMAIL = env_str("REGISTRATION_RATE_LIMIT_EMAIL", "10/h")
REGISTRATION_RATE_LIMIT_EMAIL_DAY = env_str("REGISTRATION_RATE_LIMIT_EMAIL_DAY", "20/d")
# Public verification of certificates (/attestati/…): lookups per client, so that codes cannot be guessed by trying.
CERTIFICATE_VERIFY_RATE_LIMIT = env_str("CERTIFICATE_VERIFY_RATE_LIMIT", "30/h")
REGISTRATION_LOCK_TIMEOUT_MS = env_int("REGISTRATION_LOCK_TIMEOUT_MS", 3000)
# Outbox: a row left "sending" this long belongs to a dead worker and is sent again (at-least-once; see outbox.py);
# the sweeper leaves freshly queued rows alone for the grace period (their on-commit publish is still in flight).
OUTBOX_STALE_SECONDS = env_int("OUTBOX_STALE_SECONDS", 120)
OUTBOX_SWEEP_GRACE_SECONDS = env_int("OUTBOX_SWEEP_GRACE_SECONDS", 30)
# Staff must have TOTP two-factor authentication before they reach the admin.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", default=True)
# GDPR: registrations of meetings older than this are anonymised by purge_registrations.
REGISTRATION_RETENTION_MONTHS = env_int("REGISTRATION_RETENTION_MONTHS", 24)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes announces itself at INFO on every start; only its warnings (lockouts) matter.
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}
