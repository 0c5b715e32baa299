"""Two-factor sign-in (TOTP) for the admin, with django-otp.

Any admin user may enrol an authenticator app; once enrolled, every admin session
must be verified with a code. With ``SAHAFA_REQUIRE_2FA`` on, editors-in-chief and
administrators cannot use the admin until they have enrolled and verified.

The flow is two steps on purpose: Wagtail's own sign-in form checks the password,
then ``TwoFactorMiddleware`` sends an unverified session to the code page (or to
enrolment) before any other admin page is served.
"""

from __future__ import annotations

import base64
import io
from functools import cache
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template import engines
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEVICE_NAME = "sahafa-totp"
# The session's own pending (unconfirmed) device: see ``_pending_device``.
PENDING_SESSION_KEY = "sahafa_2fa_pending_device"
# Permissions only the senior roles hold, for accounts outside the newsroom groups.
SENIOR_PERMISSIONS = ("auth.change_user", "news.change_outletsettings")


def require_2fa_setting() -> bool:
    return bool(getattr(settings, "SAHAFA_REQUIRE_2FA", False))


def is_senior(user) -> bool:
    """Editors-in-chief and administrators: the accounts that can change everything.

    The roles are the newsroom's groups (``RoleGroup.role``), whatever the groups are
    named; superusers and holders of the senior-only permissions count too.
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    from sahafa.newsroom.roles import ADMINISTRATOR, EDITOR_IN_CHIEF

    if user.groups.filter(newsroom_role__role__in=[EDITOR_IN_CHIEF, ADMINISTRATOR]).exists():
        return True
    return any(user.has_perm(perm) for perm in SENIOR_PERMISSIONS)


def needs_verification(user) -> bool:
    return user_has_device(user, confirmed=True) or (require_2fa_setting() and is_senior(user))


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("رمز التحقق"),
        max_length=8,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("الرمز أرقام فقط."))
        return token


@cache
def _template(name: str):
    return engines["django"].from_string((TEMPLATES / name).read_text(encoding="utf-8"))


def render(request, name: str, context: dict, status: int = 200) -> HttpResponse:
    # The templates live beside this module (the security package is not an app).
    return HttpResponse(_template(name).render(context, request), status=status)


def qr_svg(text: str) -> str:
    """The provisioning URI as an inline SVG QR code (no image file, no external service)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _pending_device(request) -> TOTPDevice:
    """This session's unconfirmed device, created (with a fresh secret) on first use.

    The device is bound to the session that created it, never looked up by user: a
    second session of the same account (someone else who knows the password) gets a
    secret of its own and can neither read nor confirm this one.
    """
    pk = request.session.get(PENDING_SESSION_KEY)
    device = None
    if pk is not None:
        device = TOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
        request.session[PENDING_SESSION_KEY] = device.pk
    return device


def _confirm(request, device: TOTPDevice) -> bool:
    """Make ``device`` the user's authenticator and verify the session with it.

    False (nothing changed) when an unverified session would confirm beside an
    existing confirmed device, e.g. another session confirmed one meanwhile.
    """
    verified = request.user.is_verified()
    with transaction.atomic():
        # Serialise one user's confirmations, so that the check below holds.
        get_user_model().objects.select_for_update().filter(pk=request.user.pk).exists()
        others = TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk)
        if not verified and others.filter(confirmed=True).exists():
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Abandoned enrolments (other sessions' pending secrets) are never needed again.
        others.filter(confirmed=False).delete()
        # One confirmed device per user: a new phone replaces the old one, but only
        # from a session verified with a code (checked above and in ``enrol``).
        others.filter(confirmed=True).delete()
    request.session.pop(PENDING_SESSION_KEY, None)
    otp_login(request, device)
    return True


@login_required(login_url="wagtailadmin_login")
def enrol(request):
    """Show a new secret (text and QR code); a correct code confirms the device.

    Once a user has a confirmed device, only a session verified with its code may
    enrol another: the password alone must not be enough to replace the phone.
    """
    code_page = f"{reverse('sahafa_2fa_verify')}?{urlencode({'next': request.path})}"
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        return HttpResponseRedirect(code_page)
    device = _pending_device(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not _confirm(request, device):
                return HttpResponseRedirect(code_page)
            return HttpResponseRedirect(reverse("wagtailadmin_home"))
        form.add_error("token", _("الرمز غير صحيح أو انتهت صلاحيته."))
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr_svg": qr_svg(device.config_url),
        "required": require_2fa_setting() and is_senior(request.user),
    }
    return render(request, "two_factor_enrol.html", context)


@login_required(login_url="wagtailadmin_login")
def verify(request):
    """Ask for the current code of the user's authenticator app."""
    if request.user.is_verified():
        return HttpResponseRedirect(safe_next(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return HttpResponseRedirect(reverse("sahafa_2fa_enrol"))
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return HttpResponseRedirect(safe_next(request))
        form.add_error("token", _("الرمز غير صحيح أو انتهت صلاحيته."))
        status = 400
    context = {"form": form, "next": safe_next(request)}
    return render(request, "two_factor_verify.html", context, status=status)


def admin_urls() -> list:
    """Mounted under /admin/ by the ``register_admin_urls`` hook."""
    return [
        path("two-factor/enrol/", enrol, name="sahafa_2fa_enrol"),
        path("two-factor/verify/", verify, name="sahafa_2fa_verify"),
    ]


class TwoFactorMiddleware:
    """Hold an unverified admin session at the code (or enrolment) page."""

    OPEN_SUFFIXES = ("login/", "logout/", "two-factor/", "jsi18n/", "password_reset/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and not self._is_open(request.path):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and not user.is_verified():
                if needs_verification(user):
                    if not user_has_device(user, confirmed=True):
                        return HttpResponseRedirect(reverse("sahafa_2fa_enrol"))
                    query = urlencode({"next": request.get_full_path()})
                    return HttpResponseRedirect(f"{reverse('sahafa_2fa_verify')}?{query}")
        return self.get_response(request)

    def _is_open(self, path_: str) -> bool:
        rest = path_[len("/admin/") :]
        return rest.startswith(self.OPEN_SUFFIXES)
