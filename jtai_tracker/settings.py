"""Settings for JTAI Tracker: one module, configured by environment variables.

DJANGO_DEBUG, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL are the
ones a deployment sets; see README.md. Without DATABASE_URL the app uses an
SQLite file beside manage.py so that a new user needs nothing running.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_date, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)
TESTING = env_bool("JTAI_TESTING", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        # Only for a developer's machine or the test run: never used with debug off.
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production)."
        )

# The demo's "today" (inspections/clock.py): a date such as 2019-02-01 so that an old plan
# shows as it stood then. Refused with debug off: real use always uses the real date.
DEMO_DATE = env_date("JTAI_DEMO_DATE")
if DEMO_DATE and not (DEBUG or TESTING):
    raise ImproperlyConfigured("JTAI_DEMO_DATE is for the demo only: it needs DJANGO_DEBUG=1.")

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG or TESTING else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The admin, for superusers only (jtai_tracker/admin.py).
    "jtai_tracker.apps.OperatorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "inspections",
    "actionplans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files keep their cache): the Content-Security-Policy, then
    # methods, Cache-Control and Permissions-Policy (jtai_tracker/middleware.py).
    "csp.middleware.CSPMiddleware",
    "jtai_tracker.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Safeguarding data: every page needs a login unless the view opts out.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Ends a session idle for JTAI_SESSION_IDLE_SECONDS; activity keeps it alive.
    "inspections.people.accounts.SessionIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out sign-in into the sign-in page with its message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jtai_tracker.urls"
WSGI_APPLICATION = "jtai_tracker.wsgi.application"

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
                "inspections.context_processors.demo_date",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# QuerySet.iterator() (the filters' choice lists use it) would open a server-side cursor
# on PostgreSQL: three round trips for a handful of rows. Client-side cursors are also
# what a transaction-pooling PgBouncer needs.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords (OWASP ASVS level 2): at least 12 characters, not a common one, not like
# the person's name or email, not all digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (django-axes): after JTAI_LOGIN_FAILURE_LIMIT failed attempts for
# one username, signing in as that user is refused, even with the right password, for
# JTAI_LOGIN_LOCKOUT_MINUTES. Locking the account, not the address, holds whatever
# address an attacker uses and needs nothing from the proxy. Failures are logged (the
# "axes" logger) and kept in the database (axes' access attempts and failure log).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("JTAI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("JTAI_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "inspections.people.accounts.locked_out"
# The log names the username and address tried (axes masks them by default, which leaves
# nothing to investigate); passwords are never logged.
AXES_SENSITIVE_PARAMETERS = []
# axes.W006 warns that a lockout without the IP address can be dodged by changing the
# user agent or cookies; a lockout by username does not look at either.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions end after JTAI_SESSION_IDLE_SECONDS without a request (refreshed on
# activity, see inspections.people.accounts) and when the browser closes.
SESSION_COOKIE_AGE = env_int("JTAI_SESSION_IDLE_SECONDS", 2 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Email (invitations, password resets): SMTP configured by the environment; the demo
# prints emails on the console; the tests keep them in memory (below).
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "JTAI Tracker <jtai-tracker@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/build holds the CSS and GOV.UK Frontend assets compiled by `make assets`.
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files that every app server must see ("default"). On this machine's disk unless JTAI_S3_BUCKET
# names an S3-compatible bucket (AWS S3, MinIO, Ceph...), which several app servers share.
S3_BUCKET = env_str("JTAI_S3_BUCKET")
# Files the app keeps (the PDF of each plan as submitted, evidence) and uploads waiting for
# their preview's "Confirm" (inspections/pending/), through Django's storage API. Never
# served as static files: downloads go through the permission door.
MEDIA_ROOT = Path(env_str("JTAI_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))


def _file_storage(location, s3_prefix):
    if not S3_BUCKET:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                # None: MEDIA_ROOT, read when used (each test gives it a folder of its own).
                "location": str(location) if location else None,
                "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700,
            },
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "location": s3_prefix,
            # Nothing here is public: files are read by the app, never linked to.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "endpoint_url": env_str("JTAI_S3_ENDPOINT_URL") or None,
            "region_name": env_str("JTAI_S3_REGION") or None,
            # Credentials come from boto3's usual places (AWS_ACCESS_KEY_ID and
            # AWS_SECRET_ACCESS_KEY, or the instance's role), never from this file.
        },
    }


STORAGES = {
    "default": _file_storage(None, "media"),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# In development and tests WhiteNoise serves straight from the finders (no collectstatic),
# looking each file up when it is asked for: indexing every static file up front cost each
# test's client 17 ms of CPU (each builds its own middleware), and tests rarely ask for one.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# Caches. "default" holds what one process may keep to itself (the dashboard's page
# bodies). "shared" holds what every app server and the worker must see: rendered PDFs of
# plans keyed by content and their render jobs' progress (actionplans/exports/). It is a
# folder on this machine by default (shared by the processes of one server), local memory
# for the tests, and Redis when REDIS_URL is set, which several app servers need; then
# "default" is Redis too.
# "exports" is the name the PDF code knew first, kept as an alias of "shared".
EXPORT_CACHE_SECONDS = env_int("JTAI_EXPORT_CACHE_SECONDS", 7 * 24 * 3600)
REDIS_URL = env_str("REDIS_URL")
# The test run keeps its caches in memory even where REDIS_URL is set: each pytest-xdist
# worker has its own, so tests never see each other's entries.
if REDIS_URL and not TESTING:
    _shared_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "jtai-shared",
        "TIMEOUT": EXPORT_CACHE_SECONDS,
    }
    _default_cache = {**_shared_cache, "KEY_PREFIX": "jtai", "TIMEOUT": 300}
else:
    _shared_cache = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
        if TESTING
        else "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": "shared"
        if TESTING
        else env_str("JTAI_EXPORT_CACHE_DIR", str(BASE_DIR / "var" / "export-cache")),
        "TIMEOUT": EXPORT_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
    _default_cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
CACHES = {"default": _default_cache, "shared": _shared_cache, "exports": _shared_cache}
if TESTING:
    # Each test's database is rolled back, but the caches stay, and the next test's plans
    # get the same ids with other rows: what "shared" holds about a plan by id (its PDF's
    # current mark, its job's progress) is cleared before every test (tests/conftest.py).
    # The PDFs, keyed by their content, are kept apart in "exports", for every test that
    # renders the same plan to share.
    CACHES["exports"] = {**_shared_cache, "LOCATION": "exports"}

# A plan's PDF is rendered in the background once nobody has changed the plan for this
# many seconds (actionplans/exports/prerender.py), so that "Export PDF" finds it ready.
EXPORT_QUIET_SECONDS = env_int("JTAI_EXPORT_QUIET_SECONDS", 20)
# "Export PDF" serves the PDF marked current without reading the plan's rows; every change
# made through the app unmarks it at once. A change made outside the app (SQL typed by an
# operator, loaddata) reaches the export at most this many seconds late
# (actionplans/exports/current.py).
EXPORT_CURRENT_SECONDS = env_int("JTAI_EXPORT_CURRENT_SECONDS", 300)

# Background jobs: Django's Tasks API through the `django-tasks` backport, so that the code
# moves to Django 6's `django.tasks` unchanged. Jobs live in modules named `jobs` (in this
# domain a "task" is a key task). JTAI_JOBS_BACKEND chooses where they run:
# - "database" (default): queued in the database, run by `manage.py db_worker`; one machine
#   needs nothing else;
# - "rq": queued in Redis (REDIS_URL), run by `manage.py rqworker default --job-class
#   django_tasks_rq.Job --with-scheduler`; for several app servers;
# - "immediate": run inside the request that enqueues them (the test run's default).
JOBS_BACKEND = env_str("JTAI_JOBS_BACKEND", "immediate" if TESTING else "database")
_JOBS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if JOBS_BACKEND not in _JOBS_BACKENDS:
    raise ImproperlyConfigured(
        f"JTAI_JOBS_BACKEND must be one of {', '.join(_JOBS_BACKENDS)}, not {JOBS_BACKEND!r}"
    )
if JOBS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("JTAI_JOBS_BACKEND=rq needs REDIS_URL (redis://host:6379/0).")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
TASKS = {"default": {"BACKEND": _JOBS_BACKENDS[JOBS_BACKEND], "QUEUES": ["default"]}}
# The RQ worker (`manage.py rqworker default`, with `--with-scheduler` for jobs that run
# later, such as the daily reminders) runs jobs through the Tasks API's job class.
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# Links in emails start here (no request to build them from in a background job).
SITE_URL = env_str("JTAI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Reminders go out this many working days before each board meeting.
REMINDER_WORKING_DAYS = env_int("JTAI_REMINDER_WORKING_DAYS", 10)

# `loaddata stockton_2017_neglect` finds the demo plan here.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Importing a plan from Word (actionplans.imports). An upload past the first limit is
# stopped while it is being received; the unpacked size and number of parts are checked
# from the zip's directory before anything is decompressed (zip bombs). Between the
# upload and the plan manager's "Import" the file waits in the default storage.
PLAN_IMPORT_MAX_UPLOAD_BYTES = env_int("JTAI_IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
PLAN_IMPORT_MAX_UNPACKED_BYTES = env_int("JTAI_IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
PLAN_IMPORT_MAX_PARTS = env_int("JTAI_IMPORT_MAX_PARTS", 1000)
# What is read of it (actionplans/imports/files.py): each XML part's unpacked size, what
# document.xml holds (counted while streaming it, before it is parsed) and the time the
# reading takes, under gunicorn's 30-second timeout. A real 40-page plan is about 2 MB
# of XML, 40,000 elements and a few hundred rows.
PLAN_IMPORT_MAX_XML_BYTES = env_int("JTAI_IMPORT_MAX_XML_BYTES", 15 * 1024 * 1024)
PLAN_IMPORT_MAX_ELEMENTS = env_int("JTAI_IMPORT_MAX_ELEMENTS", 500_000)
PLAN_IMPORT_MAX_ROWS = env_int("JTAI_IMPORT_MAX_ROWS", 5_000)
PLAN_IMPORT_MAX_CELLS = env_int("JTAI_IMPORT_MAX_CELLS", 50_000)
PLAN_IMPORT_MAX_SECONDS = env_int("JTAI_IMPORT_MAX_SECONDS", 20)
# Adding an inspection from its findings letter (inspections.letters). The letter is read
# in a child process limited in time and memory; what was read waits in the default storage
# until the plan manager confirms. The 20 MB and 150-page limits are the reader's own.
LETTER_READ_SECONDS = env_int("JTAI_LETTER_READ_SECONDS", 30)
LETTER_READ_MEMORY_MB = env_int("JTAI_LETTER_READ_MEMORY_MB", 1024)
# Uploads up to 2.5 MB stay in memory, larger ones go to a temporary file; the form
# fields of a request (not its files) stay under Django's usual 2.5 MB.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Security headers. Production sits behind TLS; the flags below are what
# `manage.py check --deploy` asks for.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site
# only, no inline script or style anywhere (static/js/ holds the pages' scripts), no
# plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Browser features the pages never use, off for them and anything they embed
# (jtai_tracker/middleware.py); fullscreen stays for this site's own pages.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "fullscreen": ["self"],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    # Failed and locked-out sign-ins, whatever the general level.
    "loggers": {"axes": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
