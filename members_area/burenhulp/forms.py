"""The forms of burenhulp: few fields, plain Dutch, a clear message for every mistake."""

import secrets
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members_area.models import Member

from .models import Category, HelpPost, Kind, NotificationPreference, Reach, Timing

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]
# Far enough for a hospital appointment; further ahead nobody knows who will be around.
LATEST_DATE = timedelta(days=366)
LONGEST_PERIOD = timedelta(days=92)


def new_form_token():
    return secrets.token_urlsafe(24)


def _date_field(label, help_text=""):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2027.")
        },
    )


class HelpPostForm(forms.ModelForm):
    """Asking and offering: what, when, for whom — three plain steps on one page."""

    category = forms.ChoiceField(
        label=_("Waarmee?"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies waarmee het is.")},
    )
    title = forms.CharField(
        label=_("In een paar woorden"),
        max_length=80,
        error_messages={
            "required": _("Schrijf in een paar woorden wat u vraagt."),
            "max_length": _("Houd het kort: hoogstens %(limit_value)d tekens (nu %(show_value)d)."),
        },
    )
    description = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Niet verplicht. Schrijf geen adres of telefoonnummer: dat delen we pas als u "
            "iemand kiest."
        ),
        error_messages={
            "max_length": _(
                "De toelichting is te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d)."
            )
        },
    )
    timing = forms.ChoiceField(
        label=_("Wanneer?"),
        choices=Timing.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wanneer het is.")},
    )
    date_from = _date_field(_("Datum (of eerste dag)"), _("Bijvoorbeeld 14-03-2027."))
    date_until = _date_field(_("Laatste dag (alleen bij een periode)"))
    reach = forms.ChoiceField(
        label=_("Wie mag het zien?"),
        choices=Reach.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wie het mag zien.")},
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = HelpPost
        fields = ["category", "title", "description", "timing", "date_from", "date_until", "reach"]

    def __init__(self, *args, kind=Kind.REQUEST, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == Kind.OFFER:
            self.fields["category"].label = _("Waarmee kunt u helpen?")
            self.fields["title"].label = _("Wat biedt u aan, in een paar woorden?")
            self.fields["title"].help_text = _(
                "Bijvoorbeeld: 'Ik kan op dinsdag boodschappen meenemen' of 'Ik heb een auto'."
            )
            self.fields["title"].error_messages["required"] = _(
                "Schrijf in een paar woorden wat u aanbiedt."
            )
            self.fields["timing"].label = _("Wanneer kunt u?")
        else:
            self.fields["title"].help_text = _(
                "Bijvoorbeeld: 'Wie haalt zaterdag mijn boodschappen?'"
            )
        if not self.is_bound and not self.initial.get("form_token"):
            self.initial["form_token"] = new_form_token()

    def clean(self):
        data = super().clean()
        timing = data.get("timing")
        start, end = data.get("date_from"), data.get("date_until")
        today = timezone.localdate()
        if timing == Timing.FLEXIBLE:
            data["date_from"] = data["date_until"] = None
            return data
        if timing == Timing.DATE:
            data["date_until"] = None
        if "date_from" in self.errors or "date_until" in self.errors:
            return data
        if start is None:
            self.add_error("date_from", _("Vul de datum in, of kies 'Flexibel'."))
            return data
        if start < today:
            self.add_error("date_from", _("Deze datum is al voorbij. Kies vandaag of later."))
        elif start > today + LATEST_DATE:
            self.add_error("date_from", _("Kies een datum binnen een jaar."))
        if timing == Timing.PERIOD:
            if end is None:
                self.add_error("date_until", _("Vul de laatste dag van de periode in."))
            elif end < start:
                self.add_error("date_until", _("De laatste dag ligt vóór de eerste dag."))
            elif end - start > LONGEST_PERIOD:
                self.add_error("date_until", _("Een periode duurt hoogstens drie maanden."))
        return data


class OnBehalfForm(HelpPostForm):
    """A contact person posts a request for a neighbour without internet (by phone, at the door)."""

    for_member = forms.ModelChoiceField(
        label=_("Voor wie?"),
        queryset=Member.objects.none(),
        error_messages={
            "required": _("Kies de buur voor wie u de vraag plaatst."),
            "invalid_choice": _("Kies een buur uit uw eigen binnenbuurt."),
        },
    )
    consent = forms.BooleanField(
        label=_(
            "De buur weet ervan en vindt het goed dat wie helpt zijn of haar naam en "
            "telefoonnummer ziet."
        ),
        error_messages={"required": _("Vraag eerst of de buur het goedvindt.")},
    )

    field_order = ["for_member"]

    def __init__(self, *args, binnenbuurt_ids=(), exclude_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(binnenbuurt_id__in=binnenbuurt_ids).select_related("user")
        if exclude_user is not None:
            members = members.exclude(user=exclude_user)
        self.fields["for_member"].queryset = members.order_by("user__first_name", "user__last_name")
        self.fields["for_member"].label_from_instance = lambda member: member.display_name


class RespondForm(forms.Form):
    message = forms.CharField(
        label=_("Bericht (niet verplicht)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld wanneer u kunt."),
        error_messages={
            "max_length": _(
                "Het bericht is te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d)."
            )
        },
    )
    consent = forms.BooleanField(
        label=_(
            "Als mijn hulp wordt aangenomen, mag de vrager mijn naam, telefoonnummer en "
            "e-mailadres zien."
        ),
        error_messages={
            "required": _(
                "Zonder uw toestemming kan de vrager u niet bereiken. Vink het vakje aan."
            )
        },
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Wat is er mis?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen de contactpersonen van de binnenbuurt lezen dit."),
        error_messages={
            "required": _("Schrijf kort wat er mis is."),
            "max_length": _("Hoogstens %(limit_value)d tekens (nu %(show_value)d)."),
        },
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom verbergen? (niet verplicht)"),
        required=False,
        max_length=300,
        error_messages={"max_length": _("Hoogstens %(limit_value)d tekens (nu %(show_value)d).")},
    )


class PreferenceForm(forms.ModelForm):
    mode = forms.ChoiceField(
        label=_("Wilt u e-mail over burenhulp?"),
        choices=NotificationPreference.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een van de mogelijkheden.")},
    )

    class Meta:
        model = NotificationPreference
        fields = ["mode"]
