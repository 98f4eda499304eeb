"""Two-factor authentication in the Wagtail admin: its pages, a link on the account page and a
reset button in the user listing. https://docs.wagtail.org/en/stable/reference/hooks.html"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from . import views


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("tweestaps/code/", views.verify, name="accounts_2fa_verify"),
        path("tweestaps/instellen/", views.setup, name="accounts_2fa_setup"),
        path("tweestaps/herstelcodes/", views.recovery_codes, name="accounts_2fa_recovery_codes"),
        path("tweestaps/opnieuw/<int:user_id>/", views.reset, name="accounts_2fa_reset"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("accounts_2fa_setup"),
        "label": _("Tweestapsverificatie"),
        "help_text": _("Een nieuwe telefoon instellen of nieuwe herstelcodes maken."),
    }


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if request_user.has_perm("auth.change_user"):
        yield ListingButton(
            _("Tweestapsverificatie opnieuw"),
            reverse("accounts_2fa_reset", args=[user.pk]),
            priority=60,
        )
