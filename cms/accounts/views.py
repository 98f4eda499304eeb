"""Account views: the admin's logout, and the steps of two-factor authentication
(``cms.accounts.two_factor``), registered in the admin by ``wagtail_hooks.py``."""

from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from wagtail.admin.views.account import LogoutView, PasswordResetView

from . import throttle, two_factor
from .forms import SecondFactorCodeForm


class AdminLogoutView(LogoutView):
    """Wagtail's logout, but a GET changes nothing.

    Wagtail's view answers a GET with 405 and still deletes the session cookie on that answer, so
    any page could log an editor out with an ``<img src="/admin/logout/">``. Logging out is a
    POST with a CSRF token (the admin's own menu sends one).
    """

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return super().dispatch(request, *args, **kwargs)


class AdminPasswordResetView(PasswordResetView):
    """Wagtail's "forgotten password" with the same limits as the member area's: at most 6
    e-mails per address typed and 20 per client address in 15 minutes, answered the same way."""

    def form_valid(self, form):
        allowed = throttle.allow(
            self.request,
            "admin-password-reset",
            account=form.cleaned_data["email"],
            per_account=6,
            per_address=20,
        )
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def _next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def _recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    """Step two of logging in: a code from the app, or one of the recovery codes."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(user, confirmed=True):
        return redirect(f"{reverse('accounts_2fa_setup')}?next={_next_url(request)}")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _(
                        "U bent ingelogd met een herstelcode. Die werkt niet nog eens; u heeft "
                        "er nog %(count)s. Maak nieuwe codes aan als u er bijna geen meer heeft."
                    )
                    % {"count": _recovery_codes_left(user)},
                )
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _(
                "Deze code klopt niet. Let op: een code uit de app werkt maar een halve minuut. "
                "Na een paar foute pogingen moet u steeds wat langer wachten."
            ),
        )
    return TemplateResponse(
        request, "accounts/two_factor/verify.html", {"form": form, "next": _next_url(request)}
    )


@never_cache
@sensitive_post_parameters("code")
def setup(request):
    """Enrol an authenticator app (or replace the phone): scan, type a code, keep the codes."""
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return redirect(f"{reverse('accounts_2fa_verify')}?next={_next_url(request)}")
    device = two_factor.unconfirmed_app_device(user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            # A new phone replaces the old one.
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            device.confirmed = True
            device.save()
            otp_login(request, device)
            return TemplateResponse(
                request,
                "accounts/two_factor/recovery_codes.html",
                {"codes": two_factor.new_recovery_codes(user), "next": _next_url(request)},
            )
        form.add_error(
            "code",
            _(
                "Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat en vul de code "
                "in die de app nu laat zien."
            ),
        )
    return TemplateResponse(
        request,
        "accounts/two_factor/setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            "next": _next_url(request),
        },
    )


@never_cache
@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working), shown once."""
    if not request.user.is_verified():
        raise PermissionDenied
    return TemplateResponse(
        request,
        "accounts/two_factor/recovery_codes.html",
        {"codes": two_factor.new_recovery_codes(request.user), "next": _next_url(request)},
    )


@never_cache
def reset(request, user_id):
    """An administrator removes someone's app and codes (a lost phone): they enrol again at
    their next login."""
    if not (request.user.has_perm("auth.change_user") and request.user.is_verified()):
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        two_factor.remove_devices(person)
        messages.success(
            request,
            _(
                "De tweestapsverificatie van %(name)s is verwijderd. Bij de volgende keer "
                "inloggen stelt %(name)s een nieuwe app in."
            )
            % {"name": person.get_full_name() or person.get_username()},
        )
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "accounts/two_factor/reset_confirm.html",
        {"person": person, "has_devices": user_has_device(person, confirmed=True)},
    )
