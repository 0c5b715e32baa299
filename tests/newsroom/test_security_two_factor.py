"""Two-factor enrolment cannot be taken over with the password alone (issue 12).

The attack: a verified editor-in-chief opens the enrolment page for a new phone and
leaves; someone who knows only the password signs in, opens the same page, reads the
pending secret, confirms it, gets a verified session and removes the chief's real
device. Every step is tried here through HTTP, as the attacker would.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_cache")]

ENROL = "/admin/two-factor/enrol/"
VERIFY = "/admin/two-factor/verify/"
START = dt.datetime(2026, 4, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def chief_phone(chief):
    """The chief's real, confirmed authenticator."""
    return TOTPDevice.objects.create(user=chief, name="sahafa-totp", confirmed=True)


def code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def shown_secret(response) -> str | None:
    match = re.search(r"data-sahafa-secret>([A-Z2-7 ]+)<", response.content.decode())
    return match.group(1).replace(" ", "") if match else None


def secret_of(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode()


def sign_in(client: Client) -> None:
    response = client.post(
        "/admin/login/", {"username": "chief", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302


def verified_session(device) -> Client:
    """Password, then the current code of ``device``: a fully verified admin session."""
    client = Client()
    sign_in(client)
    response = client.post(VERIFY, {"token": code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    return client


def is_verified(client: Client) -> bool:
    """The session carries a verified device (django-otp's session key)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    return DEVICE_ID_SESSION_KEY in client.session


def test_password_alone_cannot_take_over_a_pending_enrolment(chief, chief_phone):
    with time_machine.travel(START, tick=False) as clock:
        chiefs = verified_session(chief_phone)
        page = chiefs.get(ENROL)
        assert page.status_code == 200 and shown_secret(page)
        pending = TOTPDevice.objects.get(user=chief, confirmed=False)
        assert shown_secret(page) == secret_of(pending)
        # The chief leaves without confirming.

        clock.shift(60)
        attacker = Client()
        sign_in(attacker)
        opened = attacker.get(ENROL)
        # The attacker is sent to the code page and sees no secret at all.
        assert opened.status_code == 302 and opened["Location"].startswith(VERIFY)
        assert shown_secret(attacker.get(ENROL, follow=True)) is None

        # Even with the pending secret (read over the chief's shoulder), no confirmation.
        confirmed = attacker.post(ENROL, {"token": code(pending)})
        assert confirmed.status_code == 302 and confirmed["Location"].startswith(VERIFY)
        assert not is_verified(attacker)
        assert attacker.get("/admin/")["Location"].startswith(VERIFY)

    pending.refresh_from_db()
    assert not pending.confirmed
    assert TOTPDevice.objects.filter(pk=chief_phone.pk, confirmed=True).exists()
    assert list(TOTPDevice.objects.filter(user=chief, confirmed=True)) == [chief_phone]


def test_an_unverified_session_never_sees_another_sessions_pending_secret(chief):
    """No confirmed device yet: each session gets a secret of its own."""
    with time_machine.travel(START, tick=False) as clock:
        first = Client()
        sign_in(first)
        first_secret = shown_secret(first.get(ENROL))
        assert first_secret
        assert shown_secret(first.get(ENROL)) == first_secret  # stable for its session

        second = Client()
        sign_in(second)
        second_secret = shown_secret(second.get(ENROL))
        assert second_secret and second_secret != first_secret

        # The second session cannot confirm the first one's secret.
        first_device = next(d for d in TOTPDevice.objects.all() if secret_of(d) == first_secret)
        refused = second.post(ENROL, {"token": code(first_device)})
        assert refused.status_code == 200 and "الرمز غير صحيح" in refused.content.decode()
        assert not is_verified(second)
        first_device.refresh_from_db()
        assert not first_device.confirmed

        # The first session still confirms its own.
        clock.shift(5)  # django-otp backs off after a wrong code
        assert first.post(ENROL, {"token": code(first_device)}).status_code == 302
        assert is_verified(first)
    assert list(TOTPDevice.objects.filter(user=chief)) == [first_device]


def test_first_enrolment_confirms_the_device_and_verifies_the_session(chief):
    with time_machine.travel(START, tick=False):
        client = Client()
        sign_in(client)
        page = client.get(ENROL)
        assert page.status_code == 200 and "<svg" in page.content.decode()
        device = TOTPDevice.objects.get(user=chief, confirmed=False)
        assert shown_secret(page) == secret_of(device)
        done = client.post(ENROL, {"token": code(device)})
        assert done.status_code == 302 and done["Location"] == "/admin/"
        assert is_verified(client)
    device.refresh_from_db()
    assert device.confirmed


def test_a_verified_session_replaces_the_phone(chief, chief_phone):
    with time_machine.travel(START, tick=False) as clock:
        client = verified_session(chief_phone)
        page = client.get(ENROL)
        new_phone = TOTPDevice.objects.get(user=chief, confirmed=False)
        assert shown_secret(page) == secret_of(new_phone) != secret_of(chief_phone)
        clock.shift(30)
        done = client.post(ENROL, {"token": code(new_phone)})
        assert done.status_code == 302 and is_verified(client)

        # Only the new phone remains, and a new session must use it.
        assert list(TOTPDevice.objects.filter(user=chief)) == [new_phone]
        clock.shift(30)
        later = Client()
        sign_in(later)
        assert later.get("/admin/")["Location"].startswith(VERIFY)
        assert later.post(VERIFY, {"token": code(new_phone), "next": "/admin/"}).status_code == 302
        assert is_verified(later)


def test_after_one_session_enrols_another_unverified_one_cannot_replace_it(chief):
    with time_machine.travel(START, tick=False):
        slow, quick = Client(), Client()
        sign_in(slow)
        sign_in(quick)
        slow.get(ENROL)
        slow_device = TOTPDevice.objects.get(user=chief, confirmed=False)
        quick.get(ENROL)
        quick_device = TOTPDevice.objects.exclude(pk=slow_device.pk).get(user=chief)
        assert quick.post(ENROL, {"token": code(quick_device)}).status_code == 302

        # The slower session's own code no longer enrols anything: it needs the new one.
        late = slow.post(ENROL, {"token": code(slow_device)})
        assert late.status_code == 302 and late["Location"].startswith(VERIFY)
        assert not is_verified(slow)
    assert list(TOTPDevice.objects.filter(user=chief)) == [quick_device]
