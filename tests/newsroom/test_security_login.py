"""Sign-in: throttling after repeated failures, and TOTP two-factor for the admin."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from .conftest import PASSWORD

# These tests move the clock: an in-process cache follows it, a Redis server does not.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_cache")]


def sign_in(client, username, password, address="10.0.0.1", forwarded_for=None):
    """Wagtail's sign-in form posted from ``address`` (through a proxy that reports
    ``forwarded_for`` as X-Forwarded-For, when given)."""
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def test_login_is_locked_after_five_failures_with_an_arabic_message(chief):
    client = Client()
    for _attempt in range(5):
        response = sign_in(client, "chief", "wrong-password")
        assert response.status_code == 200  # the form again, with Wagtail's error
    locked = sign_in(client, "chief", PASSWORD)
    assert locked.status_code == 429
    assert "محاولات فاشلة كثيرة" in locked.content.decode()
    assert int(locked["Retry-After"]) >= 60
    assert client.get("/admin/").status_code == 302  # not signed in

    # Another address is not locked out by someone else's guessing.
    assert sign_in(Client(), "chief", PASSWORD, address="10.0.0.2").status_code == 302


def test_lock_expires_and_success_resets_the_count(chief):
    start = dt.datetime(2026, 4, 1, 10, 0, tzinfo=dt.UTC)
    client = Client()
    with time_machine.travel(start, tick=False):
        for _attempt in range(5):
            sign_in(client, "chief", "wrong")
        assert sign_in(client, "chief", PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert sign_in(client, "chief", PASSWORD).status_code == 302
        client.logout()
        for _attempt in range(4):
            sign_in(client, "chief", "wrong")
        assert sign_in(client, "chief", PASSWORD).status_code == 302  # 4 < 5


def test_an_address_trying_many_accounts_is_locked(chief):
    client = Client()
    for attempt in range(30):
        sign_in(client, f"user{attempt}", "guess", address="10.9.9.9")
    assert sign_in(client, "chief", PASSWORD, address="10.9.9.9").status_code == 429


def test_session_cookie_is_httponly_samesite_and_expires(chief):
    response = sign_in(Client(), "chief", PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    from django.conf import settings

    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 3600


def current_token(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_senior_role_must_enrol_totp_when_required_then_sign_in_with_a_code(settings, chief):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.SAHAFA_REQUIRE_2FA = True
    start = dt.datetime(2026, 4, 2, 10, 0, tzinfo=dt.UTC)
    client = Client()
    with time_machine.travel(start, tick=False) as clock:
        assert sign_in(client, "chief", PASSWORD).status_code == 302
        response = client.get("/admin/pages/")
        assert response.status_code == 302 and response["Location"] == "/admin/two-factor/enrol/"
        page = client.get("/admin/two-factor/enrol/").content.decode()
        assert "<svg" in page and "data-sahafa-secret" in page
        device = TOTPDevice.objects.get(user=chief, confirmed=False)
        assert client.post("/admin/two-factor/enrol/", {"token": "000000"}).status_code == 200
        clock.shift(5)  # django-otp backs off after a wrong code
        done = client.post("/admin/two-factor/enrol/", {"token": current_token(device)})
        assert done.status_code == 302
        assert client.get("/admin/").status_code == 200
        assert TOTPDevice.objects.filter(user=chief, confirmed=True).count() == 1

    # A new session: password, then the code page, then the admin.
    later = start + dt.timedelta(minutes=5)
    fresh = Client()
    with time_machine.travel(later, tick=False) as clock:
        assert sign_in(fresh, "chief", PASSWORD).status_code == 302
        held = fresh.get("/admin/pages/")
        assert held.status_code == 302 and held["Location"].startswith("/admin/two-factor/verify/")
        wrong = fresh.post(
            "/admin/two-factor/verify/", {"token": "123456", "next": "/admin/pages/"}
        )
        assert wrong.status_code == 400 and "الرمز غير صحيح" in wrong.content.decode()
        clock.shift(5)
        device.refresh_from_db()
        ok = fresh.post(
            "/admin/two-factor/verify/", {"token": current_token(device), "next": "/admin/pages/"}
        )
        assert ok.status_code == 302 and ok["Location"] == "/admin/pages/"
        assert fresh.get("/admin/pages/").status_code == 200


def test_enrolled_users_are_always_asked_and_juniors_are_not_forced(
    settings, chief, django_user_model
):
    from django.contrib.auth.models import Permission
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.SAHAFA_REQUIRE_2FA = True
    reporter = django_user_model.objects.create_user("reporter", "r@example.com", PASSWORD)
    reporter.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    assert sign_in(client, "reporter", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200  # not a senior role: optional

    settings.SAHAFA_REQUIRE_2FA = False
    TOTPDevice.objects.create(user=reporter, name="sahafa-totp", confirmed=True)
    other = Client()
    sign_in(other, "reporter", PASSWORD)
    assert other.get("/admin/")["Location"].startswith("/admin/two-factor/verify/")


def test_newsroom_roles_are_detected_as_senior(newsroom):
    from sahafa.newsroom.security.two_factor import is_senior

    assert is_senior(newsroom["editor_in_chief"]) and is_senior(newsroom["administrator"])
    assert not is_senior(newsroom["reporter"]) and not is_senior(newsroom["section_editor"])
