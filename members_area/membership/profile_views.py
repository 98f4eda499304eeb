"""The member's own e-mail address: ask for a change, then confirm it from the new address.

Both work without JavaScript. The confirmation link opens a page with one button (a POST), so a
mail program that opens links to scan them does not change anyone's login.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms.accounts import throttle

from . import self_service
from .views import _private

# E-mails to a new address, per account and per client address in 15 minutes.
CHANGES_PER_ACCOUNT = 3
CHANGES_PER_ADDRESS = 20


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def email_change(request):
    user = request.user
    form = self_service.EmailChangeForm(
        request.POST if request.method == "POST" else None, user=user
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        limits = {
            "per_address": CHANGES_PER_ADDRESS,
            "account": str(user.pk),
            "per_account": CHANGES_PER_ACCOUNT,
        }
        if not throttle.allow(request, "membership-email-change", **limits):
            form.add_error(
                None,
                _("U heeft al een paar keer een link gevraagd. Probeer het over een kwartier."),
            )
            status = 429
        else:
            try:
                change = self_service.request_email_change(
                    user, form.cleaned_data["email"], language=get_language()
                )
            except self_service.EmailChangeError as error:
                form.add_error("email", str(error))
            else:
                messages.success(
                    request,
                    _(
                        "We hebben een e-mail gestuurd naar %(email)s. Klik binnen 48 uur op de "
                        "link daarin; daarna logt u met dat adres in."
                    )
                    % {"email": change.new_email},
                )
                return redirect("members_profile")
    return _private(render(request, "membership/email_change.html", {"form": form}, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def email_confirm(request, token):
    change = self_service.change_for_token(token)
    if change is None:
        return _private(render(request, "membership/email_confirm.html", {"valid": False}))
    error = None
    if request.method == "POST":
        try:
            self_service.confirm_email_change(change, language=get_language())
        except self_service.EmailChangeError as problem:
            error = str(problem)
        else:
            messages.success(
                request,
                _("Uw e-mailadres is gewijzigd. U logt voortaan in met %(email)s.")
                % {"email": change.new_email},
            )
            if request.user.is_authenticated and request.user.pk == change.user_id:
                return redirect("members_profile")
            return redirect("login")
    return _private(
        render(
            request,
            "membership/email_confirm.html",
            {
                "valid": True,
                "change": change,
                "error": error,
                "done": change.confirmed_at is not None,
            },
        )
    )
