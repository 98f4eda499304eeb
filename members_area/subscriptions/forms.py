"""Public and admin forms of the newsletter."""

from datetime import timedelta

from django import forms
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from home.models import Language

from .models import Subscriber, normalise_email

HONEYPOT_FIELD = "website"


class SignupForm(forms.Form):
    email = forms.CharField(
        label=_("Uw e-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        error_messages={"required": _("Vul uw e-mailadres in.")},
    )
    name = forms.CharField(
        label=_("Uw naam"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Niet verplicht. Dan kunnen we u in de nieuwsbrief bij naam aanspreken."),
    )
    consent = forms.BooleanField(
        label=_("Ja, ik wil de nieuwsbrief per e-mail ontvangen. Afmelden kan altijd."),
        error_messages={"required": _("Zet een vinkje als u de nieuwsbrief wilt ontvangen.")},
    )
    # A honeypot: hidden from people, filled in by spam robots.
    website = forms.CharField(required=False, label=_("Laat dit veld leeg"))

    def clean_email(self):
        email = normalise_email(self.cleaned_data.get("email"))
        try:
            validate_email(email)
        except forms.ValidationError:
            raise forms.ValidationError(
                _(
                    "Dit lijkt geen geldig e-mailadres. Controleer het nog eens, "
                    "bijvoorbeeld: naam@voorbeeld.nl"
                )
            ) from None
        return email

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))


class NewsletterPreferenceForm(forms.Form):
    receive = forms.BooleanField(
        label=_("Ik wil de nieuwsbrief per e-mail ontvangen"), required=False
    )


class PreviewForm(forms.Form):
    """A text field, not a list: there may be thousands of subscribers."""

    email = forms.CharField(
        label=_("Bekijk als abonnee met e-mailadres"),
        max_length=254,
        help_text=_("Leden zien ook het nieuws van hun eigen binnenbuurt."),
        error_messages={"required": _("Vul het e-mailadres van een abonnee in.")},
    )

    def clean_email(self):
        email = normalise_email(self.cleaned_data.get("email"))
        subscriber = Subscriber.objects.filter(email=email).first()
        if subscriber is None:
            raise forms.ValidationError(_("Er is geen abonnee met dit e-mailadres."))
        self.cleaned_data["subscriber"] = subscriber
        return email


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Versturen op"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        help_text=_("Datum en tijd, bijvoorbeeld 2026-12-01 09:00."),
        error_messages={"invalid": _("Vul een datum en tijd in, bijvoorbeeld 2026-12-01 09:00.")},
    )

    def clean_send_at(self):
        value = self.cleaned_data["send_at"]
        if value < timezone.now() - timedelta(minutes=1):
            raise forms.ValidationError(
                _("Dit tijdstip is al voorbij. Kies een moment in de toekomst.")
            )
        return value


class TestSendForm(forms.Form):
    language = forms.ChoiceField(choices=Language.choices, label=_("Taal"), initial=Language.NL)
