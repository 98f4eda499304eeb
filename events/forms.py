import uuid

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .models import Registration


def occurrence_label(occurrence):
    start = timezone.localtime(occurrence.start)
    label = formats.date_format(start, "l j F Y")
    if not occurrence.all_day:
        label = f"{label}, {formats.time_format(start, 'H:i')}"
    if occurrence.is_full:
        label = f"{label} — {_('vol, wachtlijst')}"
    return label


class SignupForm(forms.Form):
    """The public sign-up form; ``datum`` picks the occurrence of a recurring event."""

    datum = forms.ChoiceField(label=_("Welke datum?"), required=True)
    name = forms.CharField(label=_("Uw naam"), max_length=120)
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        help_text=_("U krijgt een bevestiging met een link om af te melden."),
    )
    phone = forms.CharField(
        label=_("Telefoonnummer (niet verplicht)"), max_length=40, required=False
    )
    number_of_people = forms.IntegerField(
        label=_("Met hoeveel personen komt u?"),
        initial=1,
        error_messages={"invalid": _("Vul een heel getal in.")},
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, occurrences=(), max_per_signup=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["datum"].choices = [
            (occurrence.original_date.isoformat(), occurrence_label(occurrence))
            for occurrence in occurrences
        ]
        if len(self.fields["datum"].choices) <= 1:
            self.fields["datum"].widget = forms.HiddenInput()
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)
        people = self.fields["number_of_people"]
        people.widget.attrs.update({"min": 1, "inputmode": "numeric"})
        if max_per_signup:
            people.widget.attrs["max"] = max_per_signup
            people.help_text = _("Hoogstens %(max)s personen per aanmelding.") % {
                "max": max_per_signup
            }
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"

    def clean_number_of_people(self):
        value = self.cleaned_data["number_of_people"]
        if value is not None and value < 1:
            raise forms.ValidationError(_("Meld minstens 1 persoon aan."))
        return value

    def clean_form_token(self):
        value = self.cleaned_data.get("form_token") or ""
        return value[:64] or None


class OnBehalfForm(forms.Form):
    """An editor enters a sign-up received by phone or on paper; e-mail is optional."""

    datum = forms.ChoiceField(label=_("Datum"))
    name = forms.CharField(label=_("Naam"), max_length=120)
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        help_text=_("Niet verplicht. Ingevuld: de persoon krijgt een bevestiging per e-mail."),
    )
    phone = forms.CharField(label=_("Telefoon"), max_length=40, required=False)
    number_of_people = forms.IntegerField(label=_("Aantal personen"), min_value=1, initial=1)
    source = forms.ChoiceField(
        label=_("Aangemeld via"),
        choices=[
            (Registration.Source.PHONE, _("Telefoon")),
            (Registration.Source.PAPER, _("Papieren lijst")),
        ],
    )

    def __init__(self, *args, occurrences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["datum"].choices = [
            (occurrence.original_date.isoformat(), occurrence_label(occurrence))
            for occurrence in occurrences
        ]
