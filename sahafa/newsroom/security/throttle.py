"""Sign-in throttling: after repeated failures, an account is locked from that
address for a while, and an address that tries many accounts is locked too.

Failures are counted in the cache (shared by all nodes when it is Redis) under
hashed keys; a successful sign-in clears the account's count. While locked, the
sign-in form is shown again with an Arabic message and status 429, and the
password is not even checked — so a lock cannot be probed for a right guess.

Behind a reverse proxy or CDN, every request comes from the proxy; the addresses in
``SAHAFA_TRUSTED_PROXIES`` are believed about the client they forward for
(``X-Forwarded-For``), and nobody else is (``sahafa.news.clients``).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from sahafa.news.clients import client_address


def max_failures() -> int:
    return getattr(settings, "SAHAFA_LOGIN_MAX_FAILURES", 5)


def max_failures_per_address() -> int:
    return getattr(settings, "SAHAFA_LOGIN_MAX_FAILURES_PER_ADDRESS", 30)


def lock_seconds() -> int:
    return getattr(settings, "SAHAFA_LOGIN_LOCK_SECONDS", 15 * 60)


def _key(*parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"sahafa:login-failures:{digest}"


def account_key(username: str, address: str) -> str:
    return _key("account", (username or "").strip().lower(), address)


def address_key(address: str) -> str:
    return _key("address", address)


def _increment(key: str) -> int:
    if cache.add(key, 1, lock_seconds()):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, lock_seconds())
        return 1


def is_locked(username: str, address: str) -> bool:
    return (cache.get(account_key(username, address)) or 0) >= max_failures() or (
        cache.get(address_key(address)) or 0
    ) >= max_failures_per_address()


def record_failure(sender=None, credentials=None, request=None, **kwargs) -> None:
    """``user_login_failed`` receiver."""
    address = client_address(request)
    username = (credentials or {}).get("username", "")
    _increment(account_key(username, address))
    _increment(address_key(address))


def record_success(sender=None, request=None, user=None, **kwargs) -> None:
    """``user_logged_in`` receiver: a right password clears the account's count."""
    if user is not None:
        cache.delete(account_key(user.get_username(), client_address(request)))


def locked_message() -> str:
    minutes = max(1, lock_seconds() // 60)
    return _(
        "تعذّر تسجيل الدخول: محاولات فاشلة كثيرة. أُوقف الدخول مؤقتاً، "
        "حاول مجدداً بعد %(minutes)s دقيقة."
    ) % {"minutes": minutes}


class LoginThrottleMiddleware:
    """Refuse sign-in attempts for a locked account/address before checking the password."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._login_path = None

    @property
    def login_path(self) -> str:
        if self._login_path is None:
            self._login_path = reverse("wagtailadmin_login")
        return self._login_path

    def __call__(self, request):
        if request.method == "POST" and request.path == self.login_path:
            username = request.POST.get("username", "")
            if is_locked(username, client_address(request)):
                messages.error(request, locked_message())
                # Show the sign-in form again, untouched, as for a first visit.
                request.method = "GET"
                response = self.get_response(request)
                response.status_code = 429
                response["Retry-After"] = str(lock_seconds())
                return response
        return self.get_response(request)
