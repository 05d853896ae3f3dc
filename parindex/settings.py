"""One settings module, read from the environment (INTERFACES.md §1)."""

import os
import sys
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_ENV = BASE_DIR / "local.env"


def local_defaults(path: Path) -> dict[str, str]:
    """`NAME=value` lines of a developer's git-ignored local.env (written by `make install`).

    They are defaults only: a variable set in the environment wins. Production images never
    contain the file (.dockerignore), so a deployment that sets nothing runs with DEBUG off
    and refuses to start without a secret key.
    """
    if not path.is_file():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name and not name.startswith("#"):
            values[name.strip()] = value.strip()
    return values


for _name, _value in local_defaults(LOCAL_ENV).items():
    os.environ.setdefault(_name, _value)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = "pytest" in sys.modules or env_bool("PARINDEX_TESTING", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY phải được đặt khi DJANGO_DEBUG=0.")
    SECRET_KEY = "parindex-development-key-not-for-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "parindex.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "django_htmx",
    "axes",
    "csp",
    "kernel",
    "units",
    "criteria",
    "accounts",
    "evidence",
    "surveys",
    "appraisal",
    "reports",
    "exchange",
    "demo",
    "notifications",
]

MIDDLEWARE = [
    # First: a body larger than its URL's cap is refused (413) before anything reads it.
    "kernel.body_limits.body_limit_middleware",
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy everywhere; `private, no-store` for signed-in people (kernel/headers.py).
    "kernel.headers.SecurityHeadersMiddleware",
    # Static files straight from the app server, compressed and cached (no proxy needed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Under DEBUG only: the Vietnamese 404 page instead of Django's English technical one.
    "kernel.not_found.debug_not_found_middleware",
    # A new account signed in with a password it did not choose sets its own first.
    "accounts.middleware.FirstPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parindex.urls"
WSGI_APPLICATION = "parindex.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parindex.context.navigation",
                "notifications.context.unread_notices",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (the dev server and an in-process job) wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "vi"
# The Vietnamese strings the installed apps lack (django-import-export, django-axes, the
# newer admin and auth ones): locale/vi/LC_MESSAGES/django.po, compiled to django.mo.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["parindex.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("PARINDEX_STATIC_ROOT", str(BASE_DIR / "staticfiles"))).resolve()
# WhiteNoise serves static files from gunicorn itself: `collectstatic` (run when the image is
# built) writes them with gzip copies into STATIC_ROOT; a process that never collected them
# (make run, the tests' gunicorn) serves them from the apps' folders. PARINDEX_STATIC_ROOT
# moves STATIC_ROOT (the image keeps the default). Names are not hashed,
# so browsers revalidate after WhiteNoise's 60 s max-age: a few hundred users do not notice.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / "css").is_dir()
# ... in which case WhiteNoise's warning that STATIC_ROOT is missing says nothing useful.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

# The province whose index this installation determines (reports' masthead).
PARINDEX_PROVINCE = env_str("PARINDEX_PROVINCE", "Hải Dương")

# Evidence files live outside any static root and are served only through permission checks.
MEDIA_ROOT = Path(env_str("PARINDEX_MEDIA_ROOT", str(BASE_DIR / "media"))).resolve()
# Behind nginx (deploy/nginx/nginx.conf.template), the URL prefix of its `internal` location
# over MEDIA_ROOT: a stored document is then answered with `X-Accel-Redirect` once Django
# has checked who may have it, and nginx sends the bytes (no gunicorn worker waits on a slow
# downloader). Blank (runserver, the tests without nginx): Django streams the file itself.
PARINDEX_ACCEL_REDIRECT = env_str("PARINDEX_ACCEL_REDIRECT", "")

MB = 1024 * 1024
# Request bodies (kernel/body_limits.py; the same caps in deploy/nginx/nginx.conf.template):
# the upload URLs by what they take (evidence 10 × 20 MB, a new version 20 MB, ballots
# 100 MB) plus a form's margin; any other URL a form's worth, below Django's in-memory limit,
# so nothing else is ever spooled to disk.
BODY_LIMIT_DEFAULT = 1 * MB
BODY_LIMITS = {
    "evidence:upload": 201 * MB,
    "evidence:replace": 21 * MB,
    "appraisal:explanation": 201 * MB,
    "surveys:upload_new": 101 * MB,
}
# Evidence storage bounds (evidence/services/uploads.py): bytes a unit may store in a year
# (identical files counted once) and files one person may upload in a sliding window.
EVIDENCE_QUOTA_BYTES = int(env_str("PARINDEX_EVIDENCE_QUOTA_MB", "2048")) * MB
EVIDENCE_UPLOAD_RATE = (int(env_str("PARINDEX_EVIDENCE_UPLOADS_PER_10_MINUTES", "60")), 600)

SESSION_COOKIE_HTTPONLY = True
# A working day: the session ends 8 hours after login, or when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): every script and style comes from our own static
# files; no inline script or style anywhere (htmx's indicator style is switched off in
# base.html, and no template uses hx-on, which would need unsafe-eval). Only the PDF
# templates use inline styles, and WeasyPrint renders those on the server.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Evidence previews (appraisal screen) frame our own file URLs.
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Tests talk plain HTTP to the test client; production redirects to HTTPS.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not TESTING)
    SECURE_HSTS_SECONDS = int(env_str("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Believed because gunicorn is reachable only through nginx, which overwrites the
    # header with the scheme it served (deploy/nginx/nginx.conf.template).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Celery: with no REDIS_URL every job runs in-process (INTERFACES.md §1).
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False  # failures are recorded on the Job row, as with a worker
CELERY_TASK_IGNORE_RESULT = True
# Publishing a revision renders its documents in a job (DOMAIN §9); the tests that publish
# many years turn it on where they look at the documents.
PARINDEX_RENDER_ON_PUBLISH = env_bool("PARINDEX_RENDER_ON_PUBLISH", not TESTING)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process that dies is requeued at once (above); a worker killed outright (SIGKILL, OOM)
# leaves its job unacknowledged until Redis hands it out again: keep this above the longest job.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(env_str("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A page that starts a job must not hang when Redis is down: give up fast and say so.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_TIMEZONE = TIME_ZONE

# Reminders (notifications/): every 15 minutes, so a "3 days left" arrives within 15 minutes
# of the moment; cron may run `manage.py send_reminders` instead, where there is no beat.
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "notifications.tasks.reminders_send_task",
        "schedule": 15 * 60,
    },
    # Failed sign-ins older than AXES_FAILURE_LOG_KEEP_DAYS are dropped once a day.
    "prune-access-failure-logs": {
        "task": "kernel.tasks.access_failure_logs_prune_task",
        "schedule": 24 * 60 * 60,
    },
}

# Email: Django's SMTP backend, configured by the usual variables; the console in development.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env_str("EMAIL_TIMEOUT", "30") or 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Chỉ số CCHC <cchc@localhost>")
# Links in emails are absolute: a job has no request to take the host from.
PARINDEX_BASE_URL = env_str("PARINDEX_BASE_URL", "http://127.0.0.1:8000")

IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# An import writes all its rows or none (accounts/resources.py also insists).
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Trusted reverse proxies in front of the app (nginx of docker-compose.yml: 1). With 0 the
# client address is the socket's and X-Forwarded-For is ignored; behind nginx, which
# overwrites the header with the address it saw, the header's last entry.
PROXY_COUNT = int(env_str("PARINDEX_PROXY_COUNT", "0") or 0)


def client_ip(request) -> str | None:
    """The client's address for login throttling: the one the outermost trusted proxy saw."""
    proxies = PROXY_COUNT
    forwarded = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [h for h in forwarded if h]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


# Login throttling (django-axes): 5 failures for one username from one address lock that
# pair out for 15 minutes; a successful login clears the count. Off in tests except where a
# test turns it on.
AXES_ENABLED = not TESTING
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = client_ip
# Password spraying: besides the pair, one address is refused after this many failures
# across all usernames in an hour (kernel/login_throttle.py). A department behind one NAT
# address mistyping 50 times in an hour is unlikely; 15 usernames × 4 guesses is caught.
AXES_HANDLER = "kernel.login_throttle.AddressThrottleHandler"
AXES_LOCKOUT_CALLABLE = "kernel.login_throttle.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_FAILURE_LOG_KEEP_DAYS = int(env_str("PARINDEX_FAILED_LOGINS_KEEP_DAYS", "30"))
ADDRESS_FAILURE_LIMIT = int(env_str("PARINDEX_ADDRESS_FAILURES_PER_HOUR", "50"))
ADDRESS_FAILURE_WINDOW_MINUTES = 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
