"""Settings for the test run: the real settings with fast hashers, an in-process
cache and immediate tasks. SAHAFA_DATABASE_URL still selects PostgreSQL."""

import os
import tempfile

os.environ.setdefault("SAHAFA_HOME", tempfile.mkdtemp(prefix="sahafa-test-"))
os.environ.setdefault("SAHAFA_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

from sahafa.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not os.environ.get("SAHAFA_CACHE_URL"):
    CACHES = {
        **CACHES,  # noqa: F405
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sahafa-test",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sahafa-test-pages",
        },
    }  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "sahafa.newsroom.security.storage.SafeNameFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Immediate: a task runs where it is enqueued, inside the writing transaction, so its
# effects can be asserted at once. tests/publishing runs the durable backend for real.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise warns about a missing folder
# The read API's rate limit (sahafa/api.py) counts every request of the run as one
# client's: off, except where tests/delivery/test_api.py sets it.
SAHAFA_API_RATE = ""
