"""The one settings module of Sahafa, read from the environment.

Variables (all optional):

- ``SAHAFA_HOME``: folder for the SQLite database, media, the generated secret key
  and collected static files (default ``./var``).
- ``SAHAFA_DATABASE_URL``: e.g. ``postgres://user:pw@127.0.0.1:5432/sahafa``;
  a SQLite file under ``SAHAFA_HOME`` when unset.
- ``SAHAFA_CACHE_URL``: ``redis://127.0.0.1:6379/0`` for a cache shared by app nodes;
  an in-process cache when unset.
- ``SAHAFA_SECRET_KEY``: generated once and stored under ``SAHAFA_HOME`` when unset.
- ``SAHAFA_DEBUG``: ``1`` for development.
- ``SAHAFA_ALLOWED_HOSTS``: comma-separated host names (default: localhost names).
- ``SAHAFA_BASE_URL``: the public address, used in feeds, sitemaps and admin e-mails.
- ``SAHAFA_HTTPS``: ``1`` when served over HTTPS (secure cookies, HSTS).
- ``SAHAFA_EMAIL_URL``: ``smtp://user:pass@host:587`` (STARTTLS), ``smtps://…:465``
  (TLS), ``console://`` (the default: mails are printed) or ``dummy://``.
- ``SAHAFA_FROM_EMAIL``: sender of outgoing mail; ``SAHAFA_NOTIFICATION_FROM_EMAIL``:
  sender of the newsroom's workflow notifications (default: the former).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from sahafa import home_env

PACKAGE_DIR = Path(__file__).resolve().parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


HOME = Path(os.environ.get("SAHAFA_HOME") or "var").resolve()
# The home holds the database (sessions, password hashes, TOTP secrets), uploads,
# caches and the secret key: nothing in it is for other local users. Whatever the
# shell's umask, what Sahafa's processes create is for the owner and the group (a
# web server in the group may serve media and static files), and the home itself is
# closed to others, which also covers files an older install left readable.
HOME_UMASK = 0o027
os.umask(HOME_UMASK)
HOME.mkdir(mode=0o750, parents=True, exist_ok=True)
if HOME.stat().st_mode & 0o007:
    try:
        HOME.chmod(HOME.stat().st_mode & ~0o007)
    except PermissionError:  # another user's folder: its owner chose its mode
        pass
# What `sahafa init` was told once (the public address), for every command on this
# home; the environment still wins (sahafa/home_env.py).
try:
    home_env.apply(HOME)
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from None


def _secret_key() -> str:
    """Use SAHAFA_SECRET_KEY, else a key generated once and kept under SAHAFA_HOME."""
    if key := os.environ.get("SAHAFA_SECRET_KEY"):
        return key
    path = HOME / home_env.SECRET_KEY_FILE
    if not path.exists():
        # Written with owner-only permissions: the key signs sessions.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _database() -> dict:
    url = os.environ.get("SAHAFA_DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(HOME / "sahafa.sqlite3"),
            "OPTIONS": {
                # WAL lets readers run while a writer commits; IMMEDIATE avoids
                # "database is locked" upgrades in write transactions.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    import dj_database_url

    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types for bad URLs
        raise ImproperlyConfigured(
            f"SAHAFA_DATABASE_URL is not a valid database URL: {exc}"
        ) from exc
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(
            "SAHAFA_DATABASE_URL is not a valid database URL: unknown scheme"
        )
    if "postgresql" in config["ENGINE"]:
        # PostgreSQL's JIT compiles any query it estimates as costly — a common
        # search word at scale — adding tens of milliseconds to short queries.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config


def _cache(name: str = "") -> dict:
    url = os.environ.get("SAHAFA_CACHE_URL", "").strip()
    if not url:
        # A file cache is shared by all worker processes of one machine, so a
        # publish seen by one worker invalidates pages for all of them.
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(HOME / "cache" / name) if name else str(HOME / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 50000},
        }
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("SAHAFA_CACHE_URL must be a redis:// URL")
    return {
        # Django's Redis cache, a miss while Redis is unreachable (never a 500).
        "BACKEND": "sahafa.delivery.shared_cache.ResilientRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": f"sahafa-{name}" if name else "sahafa",
        # Passed to redis-py's connection pool: an unreachable Redis must cost a
        # reader a fraction of a second, not the kernel's connect timeout.
        "OPTIONS": {
            "socket_connect_timeout": 0.25,
            "socket_timeout": 0.5,
        },
    }


def _email() -> dict:
    """Django's EMAIL_* settings from SAHAFA_EMAIL_URL (console output when unset)."""
    url = urlsplit(os.environ.get("SAHAFA_EMAIL_URL", "").strip() or "console://")
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if url.scheme not in backends:
        raise ImproperlyConfigured(
            "SAHAFA_EMAIL_URL must be smtp://, smtps://, console:// or dummy://"
        )
    config = {"EMAIL_BACKEND": backends[url.scheme]}
    if url.scheme.startswith("smtp"):
        config.update(
            EMAIL_HOST=url.hostname or "localhost",
            EMAIL_PORT=url.port or (465 if url.scheme == "smtps" else 587),
            EMAIL_HOST_USER=unquote(url.username or ""),
            EMAIL_HOST_PASSWORD=unquote(url.password or ""),
            EMAIL_USE_SSL=url.scheme == "smtps",
            EMAIL_USE_TLS=url.scheme == "smtp" and url.port != 25,
            EMAIL_TIMEOUT=20,
        )
    return config


SECRET_KEY = _secret_key()
DEBUG = env_flag("SAHAFA_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("SAHAFA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
BASE_URL = os.environ.get("SAHAFA_BASE_URL", "http://localhost:8000").rstrip("/")
HTTPS = env_flag("SAHAFA_HTTPS")

INSTALLED_APPS = [
    "sahafa.news",
    "sahafa.newsroom",
    "sahafa.search",
    "sahafa.related",
    "sahafa.ingest",
    "sahafa.delivery",
    # The top floor: turns news' one event into the one task that updates the rest.
    "sahafa.publishing",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
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
    "corsheaders",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",  # its Arabic catalogue: the admin's "منذ ٥ دقائق"
]

MIDDLEWARE = [
    # First: every response, the 500 page included, names its request, as do the logs.
    "sahafa.delivery.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache so that cached responses get the headers too.
    "csp.middleware.CSPMiddleware",
    "sahafa.delivery.middleware.SecurityHeadersMiddleware",
    # CORS for the read API (/api/v1/): preflights answered here, and every API
    # response readable from any origin (refusals of the guard below included).
    "sahafa.delivery.cors.ReadCorsMiddleware",
    # Control characters, lone surrogates, overlong addresses, unreadable page numbers:
    # an Arabic 400/414/404 before any view or query sees them.
    "sahafa.delivery.request_guard.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control, ETag, Last-Modified and 304s; the page cache itself sits in front
    # of Django (sahafa.delivery.wsgi_cache) and stores what these headers allow.
    "sahafa.delivery.middleware.HttpCachingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, the first to read a body: refuses over-large uploads unread.
    "sahafa.newsroom.security.upload_limits.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sahafa.newsroom.security.throttle.LoginThrottleMiddleware",
    "sahafa.newsroom.security.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Wagtail's redirects (the old addresses an import keeps, editors' own), answered
    # only towards pages readers may see, and WordPress's /?p=101 on the home page.
    "sahafa.news.redirects.RedirectMiddleware",
]

ROOT_URLCONF = "sahafa.urls"
WSGI_APPLICATION = "sahafa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "sahafa.news.context_processors.outlet",
            ],
        },
    },
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {
    "default": _cache(),
    # The page cache's store (sahafa.delivery.page_store): its own alias so that an
    # operator can size or place it apart from the rest.
    "pages": _cache("pages"),
    # Wagtail writes each rendition it looks up into this cache; in-process keeps
    # that off the shared (file/Redis) cache on every uncached render.
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sahafa-renditions",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Arabic first: the public site and the admin speak Arabic, right to left, whatever
# the browser asks for (no LocaleMiddleware); an editor may pick English in the
# admin's account settings.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("SAHAFA_TIME_ZONE", "Asia/Riyadh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
MEDIA_ROOT = HOME / "media"
# Django gives uploads 0644 whatever the umask: group only, like the rest of the home.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750


def _media_storage() -> dict:
    """Uploads on disk under SAHAFA_HOME, or in an S3-compatible bucket
    (``SAHAFA_MEDIA_BUCKET``; credentials from boto3's own AWS_* variables, so they
    are never among Sahafa's settings)."""
    bucket = os.environ.get("SAHAFA_MEDIA_BUCKET", "").strip()
    if not bucket:
        # File names of uploads are sanitised (no bidi overrides, no inner extensions).
        return {"BACKEND": "sahafa.newsroom.security.storage.SafeNameFileSystemStorage"}
    endpoint = os.environ.get("SAHAFA_MEDIA_ENDPOINT_URL", "").strip().rstrip("/") or None
    public = urlsplit(os.environ.get("SAHAFA_MEDIA_PUBLIC_URL", "").strip().rstrip("/"))
    if public.geturl() and public.scheme not in ("http", "https"):
        raise ImproperlyConfigured("SAHAFA_MEDIA_PUBLIC_URL must be an http(s):// address")
    return {
        "BACKEND": "sahafa.newsroom.security.s3_storage.SafeNameS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": os.environ.get("SAHAFA_MEDIA_REGION", "").strip() or None,
            # Where readers fetch the files (a CDN in front of the bucket), if not the
            # store's own address.
            "custom_domain": (public.netloc + public.path) if public.netloc else None,
            "url_protocol": f"{public.scheme}:" if public.netloc else "https:",
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }


def _media_url(storage: dict) -> str:
    """Where readers fetch the uploads: the bucket's address when they are in one (the
    public Content-Security-Policy allows its origin for images and media)."""
    options = storage.get("OPTIONS")
    if not options:
        return "/media/"
    if options["custom_domain"]:
        return f"{options['url_protocol']}//{options['custom_domain']}/"
    if options["endpoint_url"]:
        return f"{options['endpoint_url']}/{options['bucket_name']}/"
    return f"https://{options['bucket_name']}.s3.amazonaws.com/"


STORAGES = {
    "default": _media_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = _media_url(STORAGES["default"])
WHITENOISE_MAX_AGE = 3600

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Multipart requests over this Content-Length are refused (413) unread, and reading
# stops at the first file over SAHAFA_UPLOAD_MAX_FILE_BYTES (the largest file any form
# accepts: an import archive); see sahafa.newsroom.security.upload_limits.
SAHAFA_UPLOAD_MAX_REQUEST_BYTES = int(
    os.environ.get("SAHAFA_UPLOAD_MAX_REQUEST_BYTES", str(100 * 1024 * 1024))
)
SAHAFA_UPLOAD_MAX_FILE_BYTES = int(
    os.environ.get("SAHAFA_UPLOAD_MAX_FILE_BYTES", str(20 * 1024 * 1024))
)
# One import file may expand to this much once decompressed (a .jsonl.gz bomb is refused
# before any of it is loaded), one JSON line to this much (a longer one fails alone).
SAHAFA_IMPORT_MAX_BYTES = int(os.environ.get("SAHAFA_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
SAHAFA_IMPORT_MAX_RECORD_BYTES = int(
    os.environ.get("SAHAFA_IMPORT_MAX_RECORD_BYTES", str(2 * 1024 * 1024))
)

WAGTAIL_SITE_NAME = "صحافة"
WAGTAILADMIN_BASE_URL = BASE_URL
globals().update(_email())
DEFAULT_FROM_EMAIL = os.environ.get(
    "SAHAFA_FROM_EMAIL", f"noreply@{urlsplit(BASE_URL).hostname or 'localhost'}"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Workflow mails (submitted / approved / returned with a comment) come from Wagtail.
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = os.environ.get(
    "SAHAFA_NOTIFICATION_FROM_EMAIL", DEFAULT_FROM_EMAIL
)
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatar from gravatar.com: the admin makes no third-party requests (and leaks
# no hash of an editor's address); Wagtail shows its default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Wagtail's own index serves the admin's page search only; readers get sahafa.search.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "csv", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000  # refuses decompression bombs
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "sahafa.newsroom.security.uploads.SafeDocumentForm"
# Counts the pixels from the header before anything is decoded (image bombs).
WAGTAILIMAGES_IMAGE_FORM_BASE = "sahafa.newsroom.security.uploads.SafeImageForm"
TAGGIT_CASE_INSENSITIVE = True

# Durable work: tasks are rows in the site's own database (django-tasks-db), written
# in the transaction of the change they follow, and run by ``sahafa worker`` (which
# ``sahafa serve`` and ``sahafa demo`` start beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task claimed by a worker that is gone (killed, its node lost) is run again after
# this long without finishing; one on this machine whose worker process died is run
# again at once.
SAHAFA_TASK_STALE_SECONDS = int(os.environ.get("SAHAFA_TASK_STALE_SECONDS", "900"))
SAHAFA_TASK_MAX_ATTEMPTS = int(os.environ.get("SAHAFA_TASK_MAX_ATTEMPTS", "3"))
# /readyz answers 503 once the oldest ready task has waited longer than this (seconds):
# no worker is taking the queue, so published changes stop reaching readers' pages.
SAHAFA_READY_MAX_TASK_AGE = int(os.environ.get("SAHAFA_READY_MAX_TASK_AGE", "600"))

# Newsroom sessions: with Redis, read from it and written through to the database,
# so a Redis restart (or outage: a miss) signs nobody out.
if os.environ.get("SAHAFA_CACHE_URL", "").strip():
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
# Two-factor sign-in (TOTP): required for editors-in-chief and administrators when on.
SAHAFA_REQUIRE_2FA = env_flag("SAHAFA_REQUIRE_2FA")
OTP_TOTP_ISSUER = "Sahafa"
SAHAFA_LOGIN_MAX_FAILURES = int(os.environ.get("SAHAFA_LOGIN_MAX_FAILURES", "5"))
SAHAFA_LOGIN_LOCK_SECONDS = int(os.environ.get("SAHAFA_LOGIN_LOCK_SECONDS", "900"))
# Reverse proxies / CDN nodes in front (comma-separated IPs or CIDR networks): the login
# throttle believes their X-Forwarded-For about the client, and nobody else's.
SAHAFA_TRUSTED_PROXIES = os.environ.get("SAHAFA_TRUSTED_PROXIES", "")
for _proxy in filter(None, (p.strip() for p in SAHAFA_TRUSTED_PROXIES.split(","))):
    # Refused at start-up, not at the first sign-in: a wrong entry would lock the
    # newsroom out behind that proxy, or trust what should not be trusted.
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"SAHAFA_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network"
        ) from None
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# The public pages' Content-Security-Policy (django-csp), closed to every other host
# unless the operator names one (sahafa.delivery.content_policy); the admin has
# Wagtail's own inline scripts and is left out of it.
from sahafa.delivery import content_policy  # noqa: E402 - settings-time helper, no Django

try:
    SAHAFA_EMBED_HOSTS = content_policy.embed_hosts(os.environ.get("SAHAFA_EMBED_HOSTS", ""))
    SAHAFA_SCRIPT_URLS = content_policy.script_urls(os.environ.get("SAHAFA_SCRIPT_URLS", ""))
    CONTENT_SECURITY_POLICY = {
        "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
        "DIRECTIVES": content_policy.public_directives(
            embeds=SAHAFA_EMBED_HOSTS,
            scripts=SAHAFA_SCRIPT_URLS,
            extra=content_policy.extra_sources(os.environ.get("SAHAFA_CSP_EXTRA", "")),
            media_origin=content_policy.origin(MEDIA_URL) if "://" in MEDIA_URL else "",
            report_uri=os.environ.get("SAHAFA_CSP_REPORT_URI", "").strip(),
        ),
    }
except content_policy.PolicyError as exc:
    raise ImproperlyConfigured(str(exc)) from None
if HTTPS:
    SECURE_SSL_REDIRECT = env_flag("SAHAFA_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [BASE_URL]

# One JSON object a line on stderr, each with the id of its request
# (sahafa.delivery.logs; the same id is the response's X-Request-ID).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "sahafa.delivery.logs.RequestContextFilter"}},
    "formatters": {"json": {"()": "sahafa.delivery.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request"],
        }
    },
    "loggers": {
        "sahafa": {"handlers": ["console"], "level": os.environ.get("SAHAFA_LOG_LEVEL", "WARNING")},
        # Django logs each unhandled exception here, once, with its traceback. Its
        # WARNINGs are the 4xx answers (a reader's mistyped address): left out.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Sahafa's own switches.
SAHAFA_PAGE_CACHE_SECONDS = int(os.environ.get("SAHAFA_PAGE_CACHE_SECONDS", "300"))
# What the feeds carry of each article: "summary" (the standfirst: readers come to
# the site for the rest) or "full" (the whole body too, for feed readers and
# aggregators that show it).
SAHAFA_FEED_CONTENT = os.environ.get("SAHAFA_FEED_CONTENT", "summary").strip().lower()
if SAHAFA_FEED_CONTENT not in ("summary", "full"):
    raise ImproperlyConfigured(
        f"SAHAFA_FEED_CONTENT: {SAHAFA_FEED_CONTENT!r} is neither 'summary' nor 'full'"
    )
# An edge cache in front (Varnish with deploy/varnish/sahafa.vcl): where it takes
# PURGE requests, e.g. http://127.0.0.1:6081. Purges go through Wagtail's frontend
# cache module, so a CDN is one more WAGTAILFRONTENDCACHE entry.
SAHAFA_EDGE_PURGE_URL = os.environ.get("SAHAFA_EDGE_PURGE_URL", "").strip()
WAGTAILFRONTENDCACHE = {
    "pages": {"BACKEND": "sahafa.delivery.purge.PageCacheBackend"},
}
if SAHAFA_EDGE_PURGE_URL and not SAHAFA_EDGE_PURGE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SAHAFA_EDGE_PURGE_URL must be an http:// or https:// URL")
if SAHAFA_EDGE_PURGE_URL:
    WAGTAILFRONTENDCACHE["edge"] = {
        "BACKEND": "sahafa.delivery.purge.EdgeBackend",
        "LOCATION": SAHAFA_EDGE_PURGE_URL,
    }
# How often the worker runs Wagtail's scheduled publishing (go-live and expiry times).
SAHAFA_SCHEDULER_INTERVAL = float(os.environ.get("SAHAFA_SCHEDULER_INTERVAL", "10"))
SAHAFA_SCHEDULER_LATE_SECONDS = float(os.environ.get("SAHAFA_SCHEDULER_LATE_SECONDS", "120"))
SAHAFA_SEARCH_BACKENDS = {"default": {"BACKEND": "sahafa.search.backends.auto"}}

# The read API (/api/v1/, sahafa/api.py): requests per client (see sahafa.news.clients)
# per second, minute, hour or day, e.g. "600/m"; empty for no limit. Answers of the page
# cache come before Django and are not counted.
SAHAFA_API_RATE = os.environ.get("SAHAFA_API_RATE", "600/m").strip()
# CORS (django-cors-headers, sahafa.delivery.cors): the API is open to every origin for
# reading, without credentials; nothing else answers cross-origin requests.
CORS_URLS_REGEX = r"^/api/v1/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_PREFLIGHT_MAX_AGE = 86400
SAHAFA_RELATED_PROVIDER = "sahafa.related.providers.stored"
# «الأكثر قراءة» (sahafa.delivery.most_read): the beacon counts views in the database,
# or in Redis when SAHAFA_CACHE_URL names one; every SAHAFA_MOST_READ_INTERVAL seconds
# the worker folds them into hourly counts and recomputes the lists (0: never).
SAHAFA_MOST_READ_INTERVAL = float(os.environ.get("SAHAFA_MOST_READ_INTERVAL", "300"))
SAHAFA_MOST_READ = (
    {
        "BACKEND": "sahafa.delivery.most_read.backends.redis",
        "LOCATION": os.environ["SAHAFA_CACHE_URL"].strip(),
        "KEY_PREFIX": "sahafa:most-read",
    }
    if os.environ.get("SAHAFA_CACHE_URL", "").strip()
    else {"BACKEND": "sahafa.delivery.most_read.backends.database"}
)
