"""Who a request comes from, as far as it can be believed.

Behind a reverse proxy or CDN, every request comes from the proxy; the addresses in
``SAHAFA_TRUSTED_PROXIES`` are believed about the client they forward for
(``X-Forwarded-For``), and nobody else is (see ``forwarded_client_ip``). The
newsroom's sign-in throttle and the readers' counters and rate limits count by it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

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
    """The client address of ``request`` (see ``forwarded_client_ip``)."""
    if request is None:
        return "unknown"
    return forwarded_client_ip(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        trusted_proxies(),
    )
