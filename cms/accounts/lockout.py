"""Lockouts for every way of logging in, counted by django-axes in the database.

Every login goes through ``django.contrib.auth.authenticate()`` — the member login, the e-mailed
code, the Wagtail admin login, the password check when enrolling two-factor authentication — and
``axes.backends.AxesStandaloneBackend`` (first in ``AUTHENTICATION_BACKENDS``) refuses it before
any password is checked while the account or the client address is locked.

- Failures are counted per account **and** per client address (``AXES_LOCKOUT_PARAMETERS``),
  separately: a flood of wrong passwords for made-up accounts locks only the address it comes
  from, and guesses at one member's password from many addresses lock only that account.
- The address is ``cms.client_ip.client_ip`` (``AXES_CLIENT_IP_CALLABLE``), which honours
  ``TRUSTED_PROXY_COUNT``; behind a proxy it is never the proxy's own address.
- The account key is a hash of what was typed, for known and unknown accounts alike (no
  enumeration: a made-up address locks exactly like a real one), scoped by the kind of secret:
  wrong passwords lock password logins only, so a member whose password is being guessed can still
  log in with a code sent by e-mail.
- The counts live in the database (``axes.handlers.database``), so they keep counting when Redis
  is away, and every app server sees the same counts.

https://django-axes.readthedocs.io/en/latest/4_configuration.html
"""

import hashlib
import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.signals import user_locked_out

from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils.translation import gettext

from cms.client_ip import client_ip

logger = logging.getLogger(__name__)

PASSWORD_SCOPE = "password"
CODE_SCOPE = "code"


def lock_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_message():
    return gettext(
        "Er is te vaak een verkeerde poging gedaan. Voor uw veiligheid kunt u het over "
        "%(minutes)s minuten opnieuw proberen. U kunt ook nu al inloggen met een code die we "
        "u per e-mail sturen."
    ) % {"minutes": lock_minutes()}


def is_locked_out(request):
    """True when the last ``authenticate()`` of this request was refused or caused a lock."""
    return bool(getattr(request, "axes_locked_out", False))


def attempt_key(request, credentials):
    """``AXES_USERNAME_CALLABLE``: what a failure is counted against for the account."""
    credentials = credentials or {}
    if "login_code" in credentials:
        scope, typed = CODE_SCOPE, credentials.get("email")
    else:
        scope = PASSWORD_SCOPE
        typed = credentials.get("username")
        if typed is None and request is not None:
            typed = request.POST.get("username")
    digest = hashlib.sha256(str(typed or "").strip().lower().encode()).hexdigest()[:40]
    return f"{scope}:{digest}"


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler with a higher limit per address than per account.

    Several members may share one address (a care home, a library computer), so an address is
    locked after ``LOGIN_FAILURES_PER_ADDRESS`` failures, an account after ``AXES_FAILURE_LIMIT``.
    Axes itself has one limit for all lockout parameters; this counts them apart.
    https://django-axes.readthedocs.io/en/latest/6_integration.html (custom handlers)
    """

    def get_failures(self, request, credentials=None):
        counts = {
            parameter: attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for parameter, attempts in zip(
                settings.AXES_LOCKOUT_PARAMETERS,
                self.get_user_attempts(request, credentials),
                strict=True,
            )
        }
        failures = counts.get("username", 0)
        if counts.get("ip_address", 0) >= settings.LOGIN_FAILURES_PER_ADDRESS:
            failures = max(failures, settings.AXES_FAILURE_LIMIT)
        return failures


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the form that was posted, with its lock message, as 429.

    Our login forms (and the Wagtail admin's, ``cms.accounts.forms.AdminLoginForm``) already show
    ``locked_message()``; anything else gets a plain page with the same text.
    """
    if original_response is not None and original_response.status_code == 200:
        original_response.status_code = 429
        return original_response
    return render(request, "accounts/locked.html", {"message": locked_message()}, status=429)


def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    # The only log line with a client address: who is hammering the login (cms.client_ip).
    logger.warning(
        "login locked",
        extra={
            "scope": (username or "").split(":", 1)[0],
            "client_ip": client_ip(request) if request is not None else ip_address,
            "path": getattr(request, "path", ""),
        },
    )


def connect_signals():
    user_locked_out.connect(log_lockout, dispatch_uid="cms.accounts.lockout.log_lockout")
