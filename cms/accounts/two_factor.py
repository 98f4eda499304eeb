"""Two-factor authentication for the Wagtail admin: TOTP (an authenticator app) plus recovery
codes, with django-otp's devices (``otp_totp``, ``otp_static``) and a thin layer of our own.

Why not a ready-made Wagtail package: wagtail-2fa has no recovery codes (its issue #18 has been
open since 2019), and its "not required" setting switches verification off for everyone, also for
people who enrolled; django-two-factor-auth brings its own login wizard for Django's admin, not
Wagtail's. django-otp itself is well kept and is what both build on.
https://django-otp-official.readthedocs.io/

Who must use it (``requires_second_factor``):
- everyone who enrolled (once enrolled, a password alone never gives a session again);
- with ``ADMIN_2FA_REQUIRED`` (default on): administrators (superusers) and the groups in
  ``ADMIN_2FA_REQUIRED_GROUPS`` (editors and moderators, who publish for the whole network);
- members of the member area, including contact persons who only edit their own binnenbuurt, keep
  their password or e-mailed code; they may enrol in the admin if they want.

``SecondFactorMiddleware`` sends such a user, right after the password (or e-mailed code), to
the code page, or to enrolment if they have no device yet, before any other page of the site
(not only the admin: a superuser can read every binnenbuurt on the public site too).
"""

import base64
import functools
import secrets
from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django_otp import device_classes, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Herstelcodes"
APP_DEVICE_NAME = "Authenticator-app"

# Reachable without the second factor: the steps themselves, logging out, and what their pages
# load. Matched by URL name.
OPEN_URL_NAMES = {
    "accounts_2fa_verify",
    "accounts_2fa_setup",
    "wagtailadmin_logout",
    "logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "health",
}


@functools.cache
def device_models():
    """django-otp's device models (``device_classes`` walks every installed model each time)."""
    return tuple(device_classes())


def requires_second_factor(user):
    """Whether this user must give a second factor: asked on every request of a logged-in
    visitor who has not given one (every member), so in one query: a confirmed device of any
    kind, or a membership of a group that must use it (django-otp's ``user_has_device`` asks
    each device table in turn, and the groups were a third query)."""
    if not user.is_authenticated:
        return False
    enforced = getattr(settings, "ADMIN_2FA_REQUIRED", True)
    if enforced and user.is_superuser:
        return True
    required = getattr(settings, "ADMIN_2FA_REQUIRED_GROUPS", []) if enforced else []
    has_device = getattr(user, "_has_confirmed_device", None)
    if has_device is not None:  # loaded with the user (cms.accounts.session_user), groups too
        return has_device or (
            bool(required) and any(group.name in required for group in user.groups.all())
        )
    reasons = [
        model.objects.devices_for_user(user, confirmed=True).order_by().values_list("pk")
        for model in device_models()
    ]
    if required:
        reasons.append(user.groups.filter(name__in=required).order_by().values_list("pk"))
    if not reasons:
        return False
    combined = reasons[0].union(*reasons[1:], all=True) if len(reasons) > 1 else reasons[0]
    return bool(list(combined[:1]))


class SecondFactorMiddleware:
    """After ``django_otp.middleware.OTPMiddleware`` (which gives ``user.is_verified()``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_URL_NAMES:
            return None
        if not requires_second_factor(user):
            return None
        step = (
            "accounts_2fa_verify" if user_has_device(user, confirmed=True) else "accounts_2fa_setup"
        )
        next_url = request.get_full_path() if request.method == "GET" else ""
        target = reverse(step)
        return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)


def unconfirmed_app_device(user):
    """The authenticator device being enrolled: the same secret on every reload of the page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device):
    """The key as people type it into an app: base32 in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[index : index + 4] for index in range(0, len(key), 4))


def qr_svg(device):
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def new_recovery_codes(user):
    """Replace the user's recovery codes with fresh ones; each works once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        device.token_set.create(token=code)
    return [f"{code[:4]} {code[4:]}" for code in codes]


def remove_devices(user):
    """An administrator's reset for someone who lost their phone and their codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
