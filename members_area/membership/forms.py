"""The "Lid worden" form, its paper/phone twin for volunteers, and the coordinators' forms.

The public form is the contact form's ``ProtectedForm`` (home.form_protection): a honeypot, a
signed token with the time it was shown (too fast = a robot) and a one-time id, which makes a
second post of the same form (a double click, a reload) the same application.
"""

from django import forms
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from home.form_protection import HONEYPOT_FIELD, TOKEN_FIELD, ProtectedForm
from home.models import Language

from .models import (
    Application,
    BinnenbuurtArea,
    Contribution,
    Membership,
    MembershipSettings,
    Source,
)
from .postcodes import invalid_lines, is_valid_postcode, normalise_postcode

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

REACH_ME_MESSAGE = _(
    "Vul een telefoonnummer of een e-mailadres in, zodat we u kunnen bereiken. "
    "Geen e-mail? Dan is alleen uw telefoonnummer genoeg."
)


class BinnenbuurtChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ApplicantFields(forms.Form):
    """What we ask of someone who wants to become a member; the same online and on paper."""

    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Vul uw voornaam in.")},
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Vul uw achternaam in.")},
    )
    street_address = forms.CharField(
        label=_("Straat en huisnummer"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        error_messages={"required": _("Vul uw straat en huisnummer in.")},
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        help_text=_("Bijvoorbeeld 1097 AB."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
        error_messages={"required": _("Vul uw postcode in, bijvoorbeeld 1097 AB.")},
    )
    city = forms.CharField(
        label=_("Woonplaats"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mailadres"),
        max_length=254,
        required=False,
        help_text=_("Niet verplicht. Zonder e-mail bent u net zo goed lid."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    language = forms.ChoiceField(
        label=_("In welke taal wilt u berichten van ons?"),
        choices=Language.choices,
        initial=Language.NL,
        widget=forms.RadioSelect,
    )
    binnenbuurt = BinnenbuurtChoiceField(
        label=_("Binnenbuurt"),
        queryset=None,
        required=False,
        empty_label=_("Weet ik niet, kies er een voor mij"),
        help_text=_(
            "Een binnenbuurt is een groepje van 20 tot 50 buren die dicht bij elkaar wonen. "
            "Met de knop 'Zoek mijn binnenbuurt' zoeken we hem bij uw adres."
        ),
    )
    heard_from = forms.ChoiceField(
        label=_("Hoe hoorde u van ons?"), choices=Application.HeardFrom.choices, required=False
    )
    share_phone = forms.BooleanField(
        label=_("Mijn naam en telefoonnummer mogen op de lijst van mijn binnenbuurt."),
        required=False,
    )
    share_address = forms.BooleanField(
        label=_("Mijn adres mag op de lijst van mijn binnenbuurt."), required=False
    )
    prefers_phone = forms.BooleanField(
        label=_("Bel mij liever dan dat u mij mailt."), required=False
    )
    paper_newsletter = forms.BooleanField(
        label=_("Ik wil de nieuwsbrief op papier, in de brievenbus."),
        required=False,
        help_text=_("Zonder e-mailadres krijgt u hem altijd op papier."),
    )
    note = forms.CharField(
        label=_("Wilt u ons nog iets laten weten?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    privacy_consent = forms.BooleanField(
        label=_(
            "Ik geef het stadsdorp toestemming mijn gegevens te bewaren voor mijn lidmaatschap. "
            "Ze worden nooit aan anderen gegeven."
        ),
        error_messages={"required": _("Zet een vinkje als u het stadsdorp toestemming geeft.")},
    )

    def __init__(self, *args, stadsdorp, **kwargs):
        super().__init__(*args, **kwargs)
        self.stadsdorp = stadsdorp
        self.fields["binnenbuurt"].queryset = stadsdorp.binnenbuurten.order_by("name")
        if not self.fields["binnenbuurt"].queryset.exists():
            del self.fields["binnenbuurt"]

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if not is_valid_postcode(postcode):
            raise forms.ValidationError(
                _("Een postcode is 4 cijfers en 2 letters, bijvoorbeeld 1097 AB.")
            )
        return postcode

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if email:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Dit lijkt geen geldig e-mailadres. Bijvoorbeeld: naam@voorbeeld.nl")
                ) from None
        return email

    def clean(self):
        cleaned_data = super().clean()
        phone = (cleaned_data.get("phone") or "").strip()
        unreachable = not phone and not cleaned_data.get("email")
        if unreachable and "phone" not in self.errors and "email" not in self.errors:
            self.add_error("phone", REACH_ME_MESSAGE)
        return cleaned_data

    @property
    def visible_fields_in_order(self):
        return [field for field in self if field.name not in (HONEYPOT_FIELD, TOKEN_FIELD)]


class ApplicationForm(ApplicantFields, ProtectedForm):
    """The public form: everything above, plus the contact form's spam protection."""


class OnBehalfApplicationForm(ApplicationForm):
    """A volunteer types in a paper form or a phone call; the source is recorded."""

    source = forms.ChoiceField(
        label=_("Hoe meldde deze persoon zich aan?"),
        choices=[(s.value, s.label) for s in (Source.PAPER, Source.PHONE, Source.MEETING)],
        initial=Source.PAPER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["privacy_consent"].label = _(
            "Deze persoon gaf toestemming de gegevens te bewaren voor het lidmaatschap "
            "(op het formulier getekend of aan de telefoon gezegd)."
        )
        self.fields["privacy_consent"].error_messages["required"] = _(
            "Zonder toestemming van de persoon zelf kunnen we de aanmelding niet bewaren."
        )
        self.fields["email"].help_text = _("Niet verplicht. Leeg laten als er geen e-mail is.")
        self.fields["phone"].help_text = ""
        for field in self.fields.values():
            if isinstance(field.widget, forms.TextInput | forms.EmailInput):
                field.widget.attrs["autocomplete"] = "off"


class DecisionForm(forms.Form):
    """Approve, put on hold or decline one application."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Goedkeuren: deze persoon wordt lid")
        HOLD = "hold", _("Even laten liggen (bijvoorbeeld: eerst bellen)")
        DECLINE = "decline", _("Afwijzen")

    decision = forms.ChoiceField(
        label=_("Wat wilt u doen?"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wat u met deze aanmelding wilt doen.")},
    )
    binnenbuurt = BinnenbuurtChoiceField(
        label=_("Binnenbuurt van het nieuwe lid"),
        queryset=None,
        required=False,
        empty_label=_("(nog) geen binnenbuurt"),
    )
    message = forms.CharField(
        label=_("Bericht aan de aanmelder"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Bij afwijzen verplicht: waarom, in gewone woorden. Bij goedkeuren komt het in de "
            "welkomstmail. Zonder e-mailadres: bel of schrijf de persoon zelf."
        ),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["binnenbuurt"].queryset = application.stadsdorp.binnenbuurten.order_by("name")
        self.fields["binnenbuurt"].initial = (
            application.binnenbuurt_id or application.suggested_binnenbuurt_id
        )

    def clean(self):
        cleaned_data = super().clean()
        declined = cleaned_data.get("decision") == self.Decision.DECLINE
        if declined and not cleaned_data.get("message"):
            self.add_error("message", _("Schrijf kort waarom, zodat de aanmelder het begrijpt."))
        return cleaned_data


class AreaForm(forms.ModelForm):
    """The street list and postcode ranges of one binnenbuurt."""

    class Meta:
        model = BinnenbuurtArea
        fields = ["streets", "postcodes"]
        widgets = {
            "streets": forms.Textarea(attrs={"rows": 8}),
            "postcodes": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_postcodes(self):
        text = self.cleaned_data["postcodes"]
        bad = invalid_lines(text, "postcodes")
        if bad:
            raise forms.ValidationError(
                _(
                    "Deze regels kunnen we niet lezen: %(lines)s. Schrijf een postcode als "
                    "'1097 AB', een reeks als '1097 AA - 1097 CZ' of alleen de cijfers '1097'."
                ),
                params={"lines": "; ".join(bad)},
            )
        return text


APPLICATION_FIELDS = [
    name for name in ApplicantFields.base_fields if name not in ("privacy_consent", "binnenbuurt")
]


class MemberFilterForm(forms.Form):
    """The filters above the member list; a GET form, so a filtered list can be bookmarked."""

    NO_BINNENBUURT = "geen"
    STATUS_CHOICES = [
        (Membership.Status.ACTIVE, _("Leden")),
        (Membership.Status.ENDED, _("Opgezegd")),
        ("all", _("Iedereen")),
    ]

    q = forms.CharField(label=_("Zoek op naam"), required=False, max_length=100)
    binnenbuurt = forms.ChoiceField(label=_("Binnenbuurt"), required=False)
    status = forms.ChoiceField(label=_("Wie"), choices=STATUS_CHOICES, required=False)
    email = forms.ChoiceField(
        label=_("E-mail"),
        required=False,
        choices=[("", _("Met en zonder e-mail")), ("no", _("Zonder e-mail (post)"))],
    )

    def __init__(self, *args, stadsdorp, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Alle binnenbuurten")), (self.NO_BINNENBUURT, _("Zonder binnenbuurt"))]
        choices += [(str(b.pk), b.name) for b in stadsdorp.binnenbuurten.order_by("name")]
        self.fields["binnenbuurt"].choices = choices


class MoveForm(forms.Form):
    binnenbuurt = BinnenbuurtChoiceField(
        label=_("Naar binnenbuurt"),
        queryset=None,
        required=False,
        empty_label=_("(geen binnenbuurt)"),
    )

    def __init__(self, *args, stadsdorp, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["binnenbuurt"].queryset = stadsdorp.binnenbuurten.order_by("name")


class EndForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Einddatum"),
        help_text=_("Bijvoorbeeld 31-12-2026."),
        input_formats=["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": _("Vul de einddatum in."),
            "invalid": _("Schrijf de datum als dag-maand-jaar, bijvoorbeeld 31-12-2026."),
        },
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: verhuisd, overleden, zelf opgezegd."),
    )
    confirm = forms.BooleanField(
        label=_("Ja, beëindig dit lidmaatschap."),
        error_messages={"required": _("Zet een vinkje om te bevestigen.")},
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Uw ledenlijst"),
        help_text=_(
            "Een .xlsx- of .csv-bestand, hoogstens 20 MB. Kolommen met namen als naam, adres, "
            "postcode, telefoon, e-mail, binnenbuurt en lid sinds herkennen we vanzelf."
        ),
        error_messages={"required": _("Kies het bestand met uw ledenlijst.")},
    )
    binnenbuurt_column = forms.CharField(
        label=_("Kolom met de binnenbuurt"),
        required=False,
        max_length=100,
        help_text=_("Alleen invullen als die kolom anders heet dan 'binnenbuurt'."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Dit bestand is groter dan 20 MB. Splits het in delen."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Kies een .csv- of .xlsx-bestand."))
        return upload


def contribution_years(today=None):
    year = (today or timezone.localdate()).year
    return list(range(year + 1, year - 5, -1))


class ContributionFilterForm(forms.Form):
    """The filters above the treasurer's overview; a GET form, so it can be bookmarked."""

    STATUS_CHOICES = [
        ("", _("Iedereen")),
        (Contribution.Status.OPEN, _("Niet betaald")),
        (Contribution.Status.PAID, _("Betaald")),
        (Contribution.Status.EXEMPT, _("Vrijgesteld")),
    ]

    jaar = forms.TypedChoiceField(label=_("Jaar"), coerce=int, required=False)
    status = forms.ChoiceField(label=_("Betaald?"), choices=STATUS_CHOICES, required=False)
    binnenbuurt = forms.ChoiceField(label=_("Binnenbuurt"), required=False)
    q = forms.CharField(label=_("Zoek op naam"), required=False, max_length=100)

    def __init__(self, *args, stadsdorp, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [(year, str(year)) for year in contribution_years()]
        # Without it the browser shows the first choice (next year) while the page is this
        # year's, and "Toon" would switch to next year.
        self.fields["jaar"].initial = timezone.localdate().year
        choices = [("", _("Alle binnenbuurten")), (MemberFilterForm.NO_BINNENBUURT, _("Zonder"))]
        choices += [(str(b.pk), b.name) for b in stadsdorp.binnenbuurten.order_by("name")]
        self.fields["binnenbuurt"].choices = choices

    def year(self):
        if self.is_bound and self.is_valid() and self.cleaned_data.get("jaar"):
            return self.cleaned_data["jaar"]
        return timezone.localdate().year


class ContributionForm(forms.Form):
    """One member's contribution for one year, as the treasurer records it."""

    status = forms.ChoiceField(
        label=_("Betaald?"),
        choices=Contribution.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies betaald, niet betaald of vrijgesteld.")},
    )
    paid_on = forms.DateField(
        label=_("Betaald op"),
        required=False,
        help_text=_("Bijvoorbeeld 15-03-2026. Leeg bij 'betaald': vandaag."),
        input_formats=["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%y"],
        error_messages={
            "invalid": _("Schrijf de datum als dag-maand-jaar, bijvoorbeeld 15-03-2026.")
        },
    )
    method = forms.ChoiceField(
        label=_("Hoe betaald"),
        required=False,
        choices=[("", _("(zeg ik niet)")), *Contribution.Method.choices],
    )
    amount = forms.DecimalField(
        label=_("Bedrag voor het jaar (euro)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        localize=True,
        help_text=_("Leeg: het bedrag van het stadsdorp."),
        error_messages={"invalid": _("Schrijf een bedrag, bijvoorbeeld 60 of 60,00.")},
    )
    note = forms.CharField(label=_("Opmerking"), max_length=200, required=False)

    def clean(self):
        cleaned_data = super().clean()
        paid_on = cleaned_data.get("paid_on")
        if paid_on and paid_on > timezone.localdate():
            self.add_error("paid_on", _("Deze datum ligt in de toekomst."))
        return cleaned_data


class ContributionSettingsForm(forms.ModelForm):
    """Amount, period and how to pay, kept by the stadsdorp's coordinators."""

    class Meta:
        model = MembershipSettings
        fields = ["contribution_amount", "contribution_period", "payment_instructions"]
        widgets = {"payment_instructions": forms.Textarea(attrs={"rows": 3})}
        localized_fields = ["contribution_amount"]
