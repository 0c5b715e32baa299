"""The login throttle behind a reverse proxy or CDN (issue 12).

Behind a proxy every request arrives from the proxy's address; the throttle must key
on the client the trusted proxies report, and on nothing a client can forge.
"""

from __future__ import annotations

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from sahafa.news import clients

from .conftest import PASSWORD
from .test_security_login import sign_in as login_form

PROXY = "192.0.2.10"
TRUSTED_SETTING = [PROXY, "10.1.0.0/16", "2001:db8:cd00::/40"]


def parse_trusted_proxies(value):
    return clients.parse_trusted_proxies(value)


def forwarded_client_ip(remote_addr, forwarded_for, trusted=None):
    if trusted is None:
        trusted = clients.parse_trusted_proxies(TRUSTED_SETTING)
    return clients.forwarded_client_ip(remote_addr, forwarded_for, trusted)


# -- the pure address logic ------------------------------------------------------------


def test_parse_accepts_addresses_networks_and_a_comma_separated_string():
    assert parse_trusted_proxies(" 192.0.2.10 , 10.1.0.0/16,,") == (
        ipaddress.ip_network("192.0.2.10/32"),
        ipaddress.ip_network("10.1.0.0/16"),
    )
    assert parse_trusted_proxies("") == ()
    assert parse_trusted_proxies(["2001:db8::1"]) == (ipaddress.ip_network("2001:db8::1/128"),)
    # Host bits set in a network are a typo worth accepting, not a reason to refuse.
    assert parse_trusted_proxies("10.1.2.3/16") == (ipaddress.ip_network("10.1.0.0/16"),)


def test_parse_refuses_what_is_not_an_address():
    with pytest.raises(ImproperlyConfigured, match="cdn.example"):
        parse_trusted_proxies("10.0.0.1,cdn.example")


def test_an_untrusted_peer_is_the_client_whatever_it_forwards():
    assert forwarded_client_ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert forwarded_client_ip("203.0.113.7", "", ()) == "203.0.113.7"
    # Nothing trusted (the default): the header is never read.
    assert forwarded_client_ip(PROXY, "198.51.100.1", ()) == PROXY


def test_a_trusted_proxy_reports_the_client():
    assert forwarded_client_ip(PROXY, "198.51.100.1") == "198.51.100.1"
    assert forwarded_client_ip(PROXY, " 198.51.100.1 ") == "198.51.100.1"


def test_the_walk_goes_from_the_right_skipping_trusted_proxies():
    # client → CDN edge (10.1.4.4) → Varnish (PROXY) → app
    assert forwarded_client_ip(PROXY, "198.51.100.1, 10.1.4.4") == "198.51.100.1"
    # A client's forged entries sit left of the real one and are never reached.
    forged = "127.0.0.1, 10.1.9.9, 198.51.100.1, 10.1.4.4"
    assert forwarded_client_ip(PROXY, forged) == "198.51.100.1"


def test_unusual_but_valid_entries():
    assert forwarded_client_ip(PROXY, "2001:db8:1::5") == "2001:db8:1::5"
    assert forwarded_client_ip(PROXY, "198.51.100.1:4711") == "198.51.100.1"
    assert forwarded_client_ip(PROXY, "[2001:db8:1::5]:443") == "2001:db8:1::5"
    # An IPv4 peer seen through an IPv6 socket is the same peer.
    assert forwarded_client_ip("::ffff:192.0.2.10", "198.51.100.1") == "198.51.100.1"
    assert forwarded_client_ip("2001:db8:cd00::1", "198.51.100.1") == "198.51.100.1"


def test_a_broken_or_missing_header_falls_back_to_the_last_trusted_hop():
    # Fail closed: such requests share the proxy's count rather than escape it.
    assert forwarded_client_ip(PROXY, "") == PROXY
    assert forwarded_client_ip(PROXY, "not-an-ip") == PROXY
    assert forwarded_client_ip(PROXY, "198.51.100.1, garbage, 10.1.4.4") == "10.1.4.4"
    # Every hop trusted (a request from inside the proxy network): the leftmost one.
    assert forwarded_client_ip(PROXY, "10.1.4.4") == "10.1.4.4"
    assert forwarded_client_ip("", "198.51.100.1") == "unknown"


# -- through HTTP ----------------------------------------------------------------------


@pytest.fixture
def chief(chief, settings, local_cache):
    settings.SAHAFA_TRUSTED_PROXIES = [PROXY]
    return chief


def sign_in(username, password, remote_addr, forwarded_for=None):
    return login_form(Client(), username, password, remote_addr, forwarded_for)


def test_many_clients_behind_one_proxy_do_not_lock_out_another(chief):
    for n in range(40):
        assert sign_in(f"guess{n}", "wrong", PROXY, f"198.51.100.{n}").status_code == 200
    assert sign_in("chief", PASSWORD, PROXY, "203.0.113.50").status_code == 302


def test_one_client_behind_the_proxy_is_still_locked(chief):
    for n in range(30):
        # A client's own X-Forwarded-For is kept by the proxy, which appends the peer.
        sign_in(f"guess{n}", "wrong", PROXY, f"10.{n}.0.1, 198.51.100.9")
    assert sign_in("chief", PASSWORD, PROXY, "6.6.6.6, 198.51.100.9").status_code == 429
    # Per-account locking still works behind the proxy too.
    for _attempt in range(5):
        sign_in("chief", "wrong", PROXY, "198.51.100.77")
    assert sign_in("chief", PASSWORD, PROXY, "198.51.100.77").status_code == 429
    assert sign_in("chief", PASSWORD, PROXY, "198.51.100.78").status_code == 302


def test_a_forged_header_from_an_untrusted_address_does_not_escape_the_throttle(chief):
    for n in range(30):
        sign_in(f"guess{n}", "wrong", "203.0.113.66", f"198.51.100.{n}")
    assert sign_in("chief", PASSWORD, "203.0.113.66", "198.51.100.200").status_code == 429
    # Nor does naming a trusted proxy as its own hop.
    assert sign_in("chief", PASSWORD, "203.0.113.66", f"198.51.100.201, {PROXY}").status_code == 429
