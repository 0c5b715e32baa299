"""Sign-in throttling: after repeated failures, an account is locked from that
address for a while, and an address that tries many accounts is locked too.

Failures are counted in the cache (shared by all nodes when it is Redis) under
hashed keys; a successful sign-in clears the account's count. While locked, the
sign-in form is shown again with an Arabic message and status 429, and the
password is not even checked — so a lock cannot be probed for a right guess.

Behind a reverse proxy or CDN, every request comes from the proxy; the addresses in
``SAHAFA_TRUSTED_PROXIES`` are believed about the client they forward for
(``X-Forwarded-For``), and nobody else is (see ``forwarded_client_ip``).
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext as _


def max_failures() -> int:
    return getattr(settings, "SAHAFA_LOGIN_MAX_FAILURES", 5)


def max_failures_per_address() -> int:
    return getattr(settings, "SAHAFA_LOGIN_MAX_FAILURES_PER_ADDRESS", 30)


def lock_seconds() -> int:
    return getattr(settings, "SAHAFA_LOGIN_LOCK_SECONDS", 15 * 60)


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(value: str | Iterable[str]) -> tuple[IPNetwork, ...]:
    """Networks from ``"192.0.2.10, 10.1.0.0/16"`` (or a list of such entries).

    A single address is a one-address network. A wrong entry raises
    ``ImproperlyConfigured`` naming it: silently dropping it would lock the
    newsroom out behind that proxy, or trust what should not be trusted.
    """
    entries = value.split(",") if isinstance(value, str) else value
    networks = []
    for entry in (e.strip() for e in entries):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"SAHAFA_TRUSTED_PROXIES: {entry!r} is not an IP address or network"
            ) from None
    return tuple(networks)


def _parse_ip(text: str) -> IPAddress | None:
    """An address as proxies write it: bare, ``v4:port`` or ``[v6]:port``; else None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 peer seen through an IPv6 socket (::ffff:a.b.c.d) is that IPv4 peer.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress, trusted: Sequence[IPNetwork]) -> bool:
    return any(address in network for network in trusted)


def forwarded_client_ip(remote_addr: str, forwarded_for: str, trusted: Sequence[IPNetwork]) -> str:
    """The client's address: the peer, or the one trusted proxies forwarded for.

    A peer that is not a trusted proxy is the client, whatever it sends. Otherwise
    ``X-Forwarded-For`` is read from the right: each trusted proxy appended the
    address it saw, so the first entry (from the right) that is not a trusted proxy
    is the client, and anything to its left — which a client can write — is never
    read. An entry that is not an address stops the walk at the last trusted hop,
    so broken headers share that hop's count instead of escaping it.
    """
    address = _parse_ip(remote_addr or "")
    if address is None:
        return remote_addr or "unknown"
    if not _is_trusted(address, trusted):
        return str(address)
    for entry in reversed((forwarded_for or "").split(",")):
        hop = _parse_ip(entry)
        if hop is None:
            break
        address = hop
        if not _is_trusted(hop, trusted):
            break
    return str(address)


@lru_cache(maxsize=4)
def _trusted_networks(value: str | tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return parse_trusted_proxies(value)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    value = getattr(settings, "SAHAFA_TRUSTED_PROXIES", ())
    return _trusted_networks(value if isinstance(value, str) else tuple(value))


def client_address(request) -> str:
    """The address the throttle counts for ``request`` (see ``forwarded_client_ip``)."""
    if request is None:
        return "unknown"
    return forwarded_client_ip(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        trusted_proxies(),
    )


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
