"""The one settings module, read from the environment (django-environ).

``MPP_ENV`` is ``production`` unless set: there every secret must come from the environment and a
missing one stops the boot. ``make run`` sets ``dev`` and ``make test`` sets ``test``, which allow
local defaults.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import unquote

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from kernel.layout import project_shared_apps, project_tenant_apps

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

MPP_ENV = env.str("MPP_ENV", default="production")
LOCAL = MPP_ENV in {"dev", "test"}
TESTING = MPP_ENV == "test"

DEBUG = env.bool("DJANGO_DEBUG", default=MPP_ENV == "dev")
SECRET_KEY = (
    env.str("DJANGO_SECRET_KEY", default="insecure-local-only-key-never-used-in-production")
    if LOCAL
    else env.str("DJANGO_SECRET_KEY")
)

# Dev default is "mpp.localhost", not bare "localhost": Chromium refuses a cookie for the
# single-label domain "localhost", so one sign-in could not cover the region subdomains.
# Browsers and curl resolve mpp.localhost and banyuwangi.mpp.localhost to loopback.
MPP_BASE_DOMAIN = env.str("MPP_BASE_DOMAIN", default="mpp.localhost").lower().strip(".")
# The scheme and port the public sees, for absolute links to a region's site.
MPP_PUBLIC_SCHEME = env.str("MPP_PUBLIC_SCHEME", default="http" if LOCAL else "https")
MPP_PUBLIC_PORT = env.str(
    "MPP_PUBLIC_PORT", default=env.str("PORT", default="8000") if LOCAL else ""
)
MPP_DEMO_PASSWORD = env.str("MPP_DEMO_PASSWORD", default="mpp-demo-2026")

# --- citizens' personal data (UU 27/2022 PDP) ----------------------------------------------------
# NIKs are stored encrypted (Fernet) with a keyed blind index (HMAC) for lookups; newest key
# first, older keys still decrypt and match until `manage.py rotate_nik_keys` has run. Local
# defaults are public on purpose: dev/test data only; production must set both variables.
_LOCAL_NIK_KEY = (
    "bXBwLWxvY2FsLWRldi1uaWsta2V5LW5vdC1zZWNyZXQ="  # base64("mpp-local-dev-nik-key-not-secret")
)
MPP_NIK_ENCRYPTION_KEYS = env.list(
    "MPP_NIK_ENCRYPTION_KEYS", default=[_LOCAL_NIK_KEY] if LOCAL else environ.Env.NOTSET
)
MPP_NIK_INDEX_KEYS = env.list(
    "MPP_NIK_INDEX_KEYS",
    default=["mpp-local-dev-nik-index-key-not-secret"] if LOCAL else environ.Env.NOTSET,
)
# The civil-registry (Dukcapil) verification adapter; the shipped one reads a local register.
MPP_DUKCAPIL_ADAPTER = env.str(
    "MPP_DUKCAPIL_ADAPTER", default="shared.citizens.dukcapil.LocalRegistryAdapter"
)
# Counter searches per operator and per region per hour; beyond ALERT_AT of a limit the region's
# supervisors are told once an hour.
MPP_COUNTER_SEARCHES_PER_OPERATOR_HOUR = env.int("MPP_COUNTER_SEARCHES_PER_OPERATOR_HOUR", 30)
MPP_COUNTER_SEARCHES_PER_REGION_HOUR = env.int("MPP_COUNTER_SEARCHES_PER_REGION_HOUR", 600)
MPP_COUNTER_SEARCH_ALERT_AT = env.float("MPP_COUNTER_SEARCH_ALERT_AT", 0.8)
# Open applications for one service per citizen (every account with the same verified phone or
# NIK counts as one citizen): stops brokers filing in bulk.
MPP_MAX_OPEN_APPLICATIONS_PER_SERVICE = env.int("MPP_MAX_OPEN_APPLICATIONS_PER_SERVICE", 10)
# How long completed applications (and the documents they carry) are kept after a citizen deletes
# the account (arsip: UU 43/2009 and the region's retention schedule).
MPP_APPLICATION_RETENTION_YEARS = env.int("MPP_APPLICATION_RETENTION_YEARS", 5)

ALLOWED_HOSTS = [
    MPP_BASE_DOMAIN,
    f".{MPP_BASE_DOMAIN}",
    *env.list("DJANGO_EXTRA_HOSTS", default=[]),
]
if LOCAL:
    ALLOWED_HOSTS += ["127.0.0.1", "testserver", ".testserver"]
_port = f":{MPP_PUBLIC_PORT}" if MPP_PUBLIC_PORT else ""
CSRF_TRUSTED_ORIGINS = [
    f"{MPP_PUBLIC_SCHEME}://{MPP_BASE_DOMAIN}{_port}",
    f"{MPP_PUBLIC_SCHEME}://*.{MPP_BASE_DOMAIN}{_port}",
]

# --- apps: third-party and Django apps are shared; project apps by folder -------------------------
_FRAMEWORK_APPS = [
    "django_tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_ratelimit",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "mpp_platform",
]
SHARED_APPS = [*_FRAMEWORK_APPS, *project_shared_apps()]
TENANT_APPS = project_tenant_apps()
INSTALLED_APPS = [*SHARED_APPS, *[a for a in TENANT_APPS if a not in SHARED_APPS]]

TENANT_MODEL = "regions.Mpp"
TENANT_DOMAIN_MODEL = "regions.Domain"
PUBLIC_SCHEMA_NAME = "public"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# The clone path of django-tenants is not used: provisioning has its own (onboarding.provisioning).
TENANT_CREATION_FAKES_MIGRATIONS = False
ROOT_URLCONF = "mpp_platform.urls_regional"
PUBLIC_SCHEMA_URLCONF = "mpp_platform.urls_national"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML compressed (a phone's page weighs a third); Django masks CSRF tokens and pads the gzip
    # output at random (its BREACH mitigation). Static files come precompressed from WhiteNoise.
    "django.middleware.gzip.GZipMiddleware",
    "kernel.routing.RegionRoutingMiddleware",
    # Django's, except that a database lost while the session is saved keeps the view's answer.
    "mpp_platform.outage.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Officials finish the second factor before any other page; staff sessions idle out sooner.
    "shared.accounts.middleware.OfficialSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A domain error a page did not handle: 404 or its message, never a 500 (kernel.errors).
    "kernel.errors.DomainErrorPageMiddleware",
    # Last, as django-axes asks: turns a lockout raised during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kernel.context.site",
            ],
        },
    },
]

WSGI_APPLICATION = "mpp_platform.wsgi.application"
ASGI_APPLICATION = "mpp_platform.asgi.application"

# --- database: PostgreSQL only (schemas are the isolation) ----------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# A unix-socket directory arrives percent-encoded in the URL's host part.
DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST") or "")
# Direct connections or PgBouncer in *session* mode only: transaction pooling breaks search_path.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0 if LOCAL else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
if TESTING:
    DATABASES["default"]["TEST"] = {"NAME": env.str("MPP_TEST_DB_NAME", default="test_mpp")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker --------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="" if LOCAL else environ.Env.NOTSET)
_CACHE_BACKEND = (
    {
        # A miss, not an error, while Redis is down (mpp_platform/cache.py).
        "BACKEND": "mpp_platform.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
)
CACHES = {
    "default": {
        **_CACHE_BACKEND,
        # Keys carry the schema name, so one region never reads another's cache.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    },
    # Throttle counters: deliberately NOT per schema. One person trying passwords or codes on
    # banyuwangi.… and then on bukittinggi.… is counted once, platform-wide.
    "throttle": {**_CACHE_BACKEND, "KEY_PREFIX": "throttle"},
}

# A region's public pages, cached whole for anonymous visitors (tenants/mpp/page_cache.py). Off
# in tests, where each test's rolled-back writes never commit the invalidation.
PUBLIC_PAGE_CACHE_SECONDS = env.int("MPP_PAGE_CACHE_SECONDS", default=0 if TESTING else 60)


def _broker_url(url: str) -> str:
    # redis-py speaks unix://; kombu spells the same socket redis+socket://.
    return "redis+socket://" + url.removeprefix("unix://") if url.startswith("unix://") else url


CELERY_BROKER_URL = _broker_url(REDIS_URL) if REDIS_URL else "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Late acknowledgement: a worker holds one message per process beyond those it runs, so a killed
# worker strands few (pipelines_resume picks them up when a worker starts).
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# One beat at a time, whatever runs: it holds a Redis lock (mpp_platform.beat).
CELERY_BEAT_SCHEDULER = "mpp_platform.beat:SingleBeatScheduler"
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / ".data" / "celerybeat-schedule")
)
# Periodic jobs; per-region ones go through the dispatcher (it skips regions not yet live).
CELERY_BEAT_SCHEDULE: dict = {}
# Tasks left pending in the outbox by a broker outage go out as soon as the broker is back.
CELERY_BEAT_SCHEDULE["outbox-relay"] = {"task": "outbox.relay", "schedule": 10.0}
# How services enqueue background work: through the transactional outbox (shared/outbox).
MPP_TASK_ENQUEUE = "shared.outbox.services.task_enqueue"
CELERY_BEAT_SCHEDULE["applications-overdue"] = {
    "task": "mpp_platform.dispatch_to_live_regions",
    "schedule": crontab(hour=7, minute=30),  # Asia/Jakarta, before counters open
    "args": ["applications.notify_overdue"],
}
CELERY_BEAT_SCHEDULE["applications-due-tomorrow"] = {
    "task": "mpp_platform.dispatch_to_live_regions",
    "schedule": crontab(hour=7, minute=35),  # Asia/Jakarta, with the overdue list
    "args": ["applications.notify_due_tomorrow"],
}
CELERY_BEAT_SCHEDULE["queue-booking-reminders"] = {
    "task": "mpp_platform.dispatch_to_live_regions",
    "schedule": crontab(hour=16, minute=0),  # Asia/Jakarta: the afternoon before each booking
    "args": ["queue.booking_reminders"],
}
CELERY_BEAT_SCHEDULE["queue-daily-figures"] = {
    "task": "mpp_platform.dispatch_to_live_regions",
    "schedule": crontab(hour=0, minute=30),  # Asia/Jakarta: yesterday's queue figures
    "args": ["queue.daily_figures"],
}
CELERY_BEAT_SCHEDULE["complaints-daily"] = {
    "task": "mpp_platform.dispatch_to_live_regions",
    "schedule": crontab(hour=7, minute=15),  # Asia/Jakarta: reminders, escalations, figures
    "args": ["complaints.daily"],
}
# Deleted accounts' archives past the retention period are destroyed (shared.citizens.retention).
CELERY_BEAT_SCHEDULE["citizens-retention-purge"] = {
    "task": "citizens.retention_purge",
    "schedule": crontab(hour=3, minute=15),  # Asia/Jakarta, a quiet hour
}
# National monitoring asks the onboarding (a layer above it) which onboardings have stalled.
MONITORING_STALLED_ONBOARDINGS = "onboarding.monitoring.stalled_onboardings"
CELERY_BEAT_SCHEDULE["monitoring-rollup-nightly"] = {
    "task": "monitoring.rollup_nightly",  # after midnight in WIB (and so in WITA and WIT too)
    "schedule": crontab(hour=0, minute=45),
}
CELERY_BEAT_SCHEDULE["monitoring-rollup-resume"] = {
    "task": "monitoring.rollup_resume",  # failed regions retried after back-off, lost items re-sent
    "schedule": crontab(minute="*/10"),
}
CELERY_BEAT_SCHEDULE["availability-resync"] = {
    "task": "mpp_platform.dispatch_to_live_regions",
    "schedule": crontab(hour=2, minute=0),  # nightly repair of the national availability index
    "args": ["mpp.availability_resync"],
}

# --- accounts and sessions: one sign-in for every region's site ----------------------------------
AUTH_USER_MODEL = "accounts.User"
# Email is unique case-insensitively by a database constraint (Lower(email)) and may be empty for
# phone-only citizens; the backend looks users up by either, so Django's plain-unique check is moot.
SILENCED_SYSTEM_CHECKS = [
    "auth.W004",
    # django-ratelimit knows only django-redis by name; Django's own RedisCache increments
    # atomically too (INCR), which is all the throttles need.
    "django_ratelimit.W001",
    # Without Redis (only possible in dev/test) the throttle counters live in one process.
    *([] if REDIS_URL else ["django_ratelimit.E003"]),
    # mpp_platform's "tenant" tag library deliberately replaces django-tenants' one, so that its
    # admin templates work on the national host, where request.tenant is None.
    "templates.W003",
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is hashed.
    "shared.accounts.throttling.SignInLockoutBackend",
    "shared.accounts.backends.EmailOrPhoneBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# The parent domain: the browser sends the cookie to every region's subdomain too.
SESSION_COOKIE_DOMAIN = MPP_BASE_DOMAIN
CSRF_COOKIE_DOMAIN = SESSION_COOKIE_DOMAIN
LANGUAGE_COOKIE_DOMAIN = SESSION_COOKIE_DOMAIN
SESSION_COOKIE_NAME = "mpp_session"
CSRF_COOKIE_NAME = "mpp_csrftoken"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not LOCAL
SESSION_COOKIE_HTTPONLY = True
# Citizens stay signed in for two weeks; staff sessions end after this much idle time (a counter
# PC is shared, and a superadmin's session opens every region).
SESSION_COOKIE_AGE = 14 * 24 * 3600
MPP_STAFF_IDLE_SECONDS = env.int("MPP_STAFF_IDLE_MINUTES", default=30) * 60

# --- throttling: sign-in (django-axes), sign-up, password reset, codes (django-ratelimit) --------
# Axes keeps its counters in public tables: one count for the whole platform, whatever the host.
AXES_HANDLER = "shared.accounts.throttling.PlatformAxesHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each one locks on its own
AXES_FAILURE_LIMIT = env.int("MPP_SIGNIN_FAILURES_PER_ACCOUNT", default=5)
# One address is many people behind a carrier's NAT or an office: it gets a higher limit.
MPP_SIGNIN_FAILURES_PER_IP = env.int("MPP_SIGNIN_FAILURES_PER_IP", default=30)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("MPP_SIGNIN_LOCKOUT_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "shared.accounts.throttling.axes_username"
AXES_CLIENT_IP_CALLABLE = "shared.accounts.throttling.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "shared.accounts.throttling.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["username", "password", "ip_address", "otp_code"]
AXES_VERBOSE = False
# Proxies in front of the app that append to X-Forwarded-For (the ingress): the client address
# is the one they saw. 0 means REMOTE_ADDR is the client (make run, tests).
MPP_TRUSTED_PROXY_COUNT = env.int("MPP_TRUSTED_PROXY_COUNT", default=0 if LOCAL else 1)
RATELIMIT_USE_CACHE = "throttle"
RATELIMIT_IP_META_KEY = "shared.accounts.throttling.client_ip_for_ratelimit"
RATELIMIT_IPV6_MASK = 64

# --- second factor (django-otp): superadmins, Django-admin staff and DPMPTSP admins -------------
OTP_TOTP_ISSUER = "MPP Digital"
OTP_TOTP_THROTTLE_FACTOR = 1  # each wrong code doubles the wait before the next try
OTP_STATIC_THROTTLE_FACTOR = 1

# --- API tokens for the mobile app (django-rest-knox): hashed, expiring, revocable --------------
KNOX_TOKEN_MODEL = "accounts.ApiToken"
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_TTL": dt.timedelta(days=env.int("MPP_API_TOKEN_DAYS", default=30)),
    "AUTO_REFRESH": True,  # an app in use stays signed in ...
    "AUTO_REFRESH_MAX_TTL": dt.timedelta(days=90),  # ... but signs in again at least quarterly
    "TOKEN_LIMIT_PER_USER": 10,
    "AUTH_HEADER_PREFIX": "Token",
}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if LOCAL:
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    if TESTING:
        PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- email: console in dev, SMTP from EMAIL_URL in production ------------------------------------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = (
        "django.core.mail.backends.locmem.EmailBackend"
        if TESTING
        else "django.core.mail.backends.console.EmailBackend"
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MPP Digital <noreply@mpp.go.id>")

# --- i18n: Bahasa Indonesia first, English available --------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# --- static and media ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("MPP_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))


def _file_storage() -> dict:
    """The one private file storage every web and worker replica shares (kernel.files).

    ``MPP_STORAGE=filesystem`` with ``MPP_PRIVATE_ROOT`` on a volume all replicas mount at the
    same path (make run uses .data/private), or ``MPP_STORAGE=s3`` with ``MPP_S3_BUCKET`` for
    S3-compatible object storage (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
    or the platform's role). Production has no default: a pod-local folder would split the
    files between replicas and lose them on restart.
    """
    kind = env.str("MPP_STORAGE", default="filesystem" if LOCAL else "")
    if kind == "filesystem":
        local_root = str(BASE_DIR / ".data" / "private") if LOCAL else ""
        root = env.str("MPP_PRIVATE_ROOT", default=local_root)
        if not root:
            raise ImproperlyConfigured(
                "MPP_STORAGE=filesystem needs MPP_PRIVATE_ROOT: a directory every web and worker"
                " replica mounts (a ReadWriteMany volume in Kubernetes)."
            )
        return {
            "BACKEND": "kernel.files.PrivateFileSystemStorage",
            "OPTIONS": {"location": root},
        }
    if kind == "s3":
        bucket = env.str("MPP_S3_BUCKET", default="")
        if not bucket:
            raise ImproperlyConfigured("MPP_STORAGE=s3 needs MPP_S3_BUCKET.")
        endpoint = env.str("MPP_S3_ENDPOINT_URL", default="") or None
        return {
            "BACKEND": "kernel.files_s3.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": env.str("MPP_S3_REGION", default="") or None,
                "location": env.str("MPP_S3_PREFIX", default=""),
                # S3-compatible servers (MinIO, Ceph, …) answer path-style requests out of the box.
                "addressing_style": "path" if endpoint else None,
                "default_acl": None,  # the bucket's own policy: private
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
    raise ImproperlyConfigured(
        "Set MPP_STORAGE to 'filesystem' (with MPP_PRIVATE_ROOT on a volume every replica mounts)"
        " or 's3' (with MPP_S3_BUCKET): uploads, results and offboarding archives live there."
    )


# No file is public: the default storage is the private one too, so a FileField that forgets to
# name its storage still lands where every replica sees it, and nothing is served by URL.
_FILES = _file_storage()
STORAGES = {
    "default": _FILES,
    "private": _FILES,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if LOCAL
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = LOCAL
# Hashed names (the manifest storage) are cached for a year, immutable; the few unhashed files
# for an hour. Gzip and Brotli copies are made by collectstatic at image build time.
WHITENOISE_MAX_AGE = 3600
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a refused token answers 401 with WWW-Authenticate (the app signs in
        # again) rather than 403.
        "shared.accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "mpp_platform.api_autoschema.OneBodyFormatSchema",
    "DEFAULT_PAGINATION_CLASS": "kernel.pagination.CappedPageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "kernel.errors.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MPP Digital API",
    # The full description (versioning and deprecation policy, the one error shape) is
    # translatable and set by the hook mpp_platform.api_schema.add_problem_responses.
    "DESCRIPTION": "API nasional dan regional Mal Pelayanan Publik Digital.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Operation ids and default tags start after the version ("auth_sign_in_create", not
    # "v1_auth_sign_in_create"): generated clients read well.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mpp_platform.api_schema.add_problem_responses",
    ],
    # Several apps have a "kind"/"status" choice field; name each enum after its domain.
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "shared.catalogue.models.Agency.Kind",
        "RegionKindEnum": "shared.regions.models.Region.Kind",
        "ApplicationStatusEnum": "shared.citizens.models.ApplicationStatus",
        "FormFieldKindEnum": "tenants.applications.models.FormField.Kind",
        "WebhookEventKindEnum": "shared.webhooks.models.EventKind",
        "ComplaintKindEnum": "shared.complaints.models.ComplaintKind",
        "ComplaintStatusEnum": "shared.complaints.models.ComplaintStatus",
    },
}

# --- WhatsApp/SMS provider: the HTTP gateway switches on by its URL -------------------------------
MPP_MESSAGING_URL = env.str("MPP_MESSAGING_URL", default="")
MPP_MESSAGING_TOKEN = env.str("MPP_MESSAGING_TOKEN", default="")
MPP_MESSAGING_CALLBACK_SECRET = env.str("MPP_MESSAGING_CALLBACK_SECRET", default="")
MPP_MESSAGING_TIMEOUT = env.float("MPP_MESSAGING_TIMEOUT", default=10.0)
MPP_MESSAGING_RETRY_BASE_SECONDS = env.int("MPP_MESSAGING_RETRY_BASE_SECONDS", default=30)
if MPP_MESSAGING_URL:
    MPP_MESSAGING_GATEWAY = "shared.messaging.gateway.HttpGateway"
    if not LOCAL:  # an unsigned status callback would be accepted from anyone: fail at boot
        MPP_MESSAGING_CALLBACK_SECRET = env.str("MPP_MESSAGING_CALLBACK_SECRET")

# --- webhooks ------------------------------------------------------------------------------------
# Outside dev and test a subscriber must be HTTPS on a public address.
WEBHOOKS_ALLOW_PRIVATE_URLS = env.bool("WEBHOOKS_ALLOW_PRIVATE_URLS", default=LOCAL)
WEBHOOKS_RETRY_BASE_SECONDS = env.int("WEBHOOKS_RETRY_BASE_SECONDS", default=30)
WEBHOOKS_PAUSE_AFTER = env.int("WEBHOOKS_PAUSE_AFTER", default=10)  # consecutive failures
WEBHOOKS_CONNECT_TIMEOUT = 3.0
WEBHOOKS_READ_TIMEOUT = 5.0

# --- security headers ----------------------------------------------------------------------------
# No inline script anywhere (JS lives in static files); forms may post and redirect across the
# platform's own hosts only.
_OWN_HOSTS = [
    f"{MPP_PUBLIC_SCHEME}://{MPP_BASE_DOMAIN}{_port}",
    f"{MPP_PUBLIC_SCHEME}://*.{MPP_BASE_DOMAIN}{_port}",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Inline styles stay allowed: templates use style attributes, and Swagger UI and the
        # Django admin set styles from their scripts. Scripts are what the policy locks down.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *_OWN_HOSTS],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not LOCAL:
    # Behind the ingress: it terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Probes reach pods over plain HTTP by IP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    # Every region is a subdomain of the one parent domain that carries the one session cookie.
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)

# --- logging: every line carries the schema name -------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "tenant": {"()": "django_tenants.log.TenantContextFilter"},
        # NIKs, phone numbers, e-mail addresses never reach a log line (shared.citizens).
        "personal_data": {"()": "shared.citizens.privacy.PersonalDataFilter"},
    },
    "formatters": {
        "tenant": {"format": "%(asctime)s %(levelname)s [%(schema_name)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["tenant", "personal_data"],
            "formatter": "tenant",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Sentry: on only when SENTRY_DSN is set ------------------------------------------------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from mpp_platform.sentry import init_sentry

    init_sentry(SENTRY_DSN, environment=MPP_ENV)

# One SET search_path per tenant switch, not per cursor (DESIGN.md target: ≤ 1 per request).
TENANT_LIMIT_SET_CALLS = True
