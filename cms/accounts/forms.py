"""The Wagtail admin's login form, with the same lock message as the member login.

Set as ``WAGTAILADMIN_USER_LOGIN_FORM``;
https://docs.wagtail.org/en/stable/reference/settings.html#wagtailadmin-user-login-form
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm

from .lockout import is_locked_out, locked_message


class LockoutMessageMixin:
    """For ``AuthenticationForm`` subclasses: say "locked" instead of "wrong" when it is."""

    def get_invalid_login_error(self):
        if is_locked_out(self.request):
            return forms.ValidationError(locked_message(), code="locked")
        return super().get_invalid_login_error()


class AdminLoginForm(LockoutMessageMixin, LoginForm):
    pass


class SecondFactorCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[\d\s]{6,12}$",
        error_messages={
            "required": _("Vul de code in."),
            "invalid": _("Vul de 6 cijfers uit de app in, of een herstelcode van 8 cijfers."),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())
