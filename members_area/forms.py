"""Forms for members: short, big, plain Dutch, and the same answer whether an address exists."""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.images.fields import WagtailImageField

from cms.accounts.forms import LockoutMessageMixin
from cms.accounts.lockout import is_locked_out, locked_message
from home.models import Language

from .addresses import is_valid_postcode, normalise_postcode, postcode_display
from .models import Member

INVALID_LOGIN_MESSAGE = _(
    "Het e-mailadres of het wachtwoord klopt niet. Let op hoofdletters in het wachtwoord."
)


class EmailLoginForm(LockoutMessageMixin, AuthenticationForm):
    """Django's login form, asking for an e-mail address; failures count in accounts.lockout."""

    username = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    remember_me = forms.BooleanField(
        label=_("Ingelogd blijven op dit apparaat"),
        required=False,
        help_text=_("Alleen aanvinken op uw eigen computer, tablet of telefoon."),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": INVALID_LOGIN_MESSAGE,
        "inactive": INVALID_LOGIN_MESSAGE,
    }


class EmailPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class CodeRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class CodeLoginForm(forms.Form):
    code = forms.RegexField(
        label=_("Inlogcode"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("De 6 cijfers uit de e-mail die we u net stuurden."),
        error_messages={"invalid": _("Vul de 6 cijfers uit de e-mail in.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def __init__(self, *args, request=None, email="", **kwargs):
        self.request = request
        self.email = email
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def clean(self):
        code = (self.cleaned_data.get("code") or "").strip()
        if not code:
            return self.cleaned_data
        # Through authenticate(), so that wrong codes count in the same lockouts as passwords
        # (members_area.backends.LoginCodeBackend; accounts.lockout keeps them apart per kind).
        self.user_cache = authenticate(self.request, email=self.email, login_code=code)
        if self.user_cache is not None:
            return self.cleaned_data
        if is_locked_out(self.request):
            raise ValidationError(locked_message(), code="locked")
        raise ValidationError(
            _(
                "Deze code klopt niet of is verlopen. Een code werkt 15 minuten en maar één "
                "keer. Vraag gerust een nieuwe code aan."
            ),
            code="invalid_code",
        )


class ProfileForm(forms.ModelForm):
    """The member's own details, including their one address (``members_area.addresses``): the
    paper newsletter, the labels and the reminder letters go where this says."""

    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    street_address = forms.CharField(
        label=_("Straat en huisnummer"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        required=False,
        help_text=_("Bijvoorbeeld 1097 AB."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )
    city = forms.CharField(
        label=_("Woonplaats"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    language = forms.ChoiceField(
        label=_("Voorkeurstaal"), choices=Language.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Member
        fields = ["phone", "street_address", "postcode", "city", "listed_consent", "language"]
        widgets = {
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    FIELD_ORDER = [
        "first_name",
        "last_name",
        "phone",
        "street_address",
        "postcode",
        "city",
        "listed_consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.initial["postcode"] = postcode_display(self.instance.postcode)
        self.order_fields(self.FIELD_ORDER)

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if postcode and not is_valid_postcode(postcode):
            raise ValidationError(
                _("Een postcode is 4 cijfers en 2 letters, bijvoorbeeld 1097 AB."),
                code="invalid_postcode",
            )
        return postcode

    def clean(self):
        cleaned = super().clean()
        street, postcode = cleaned.get("street_address", ""), cleaned.get("postcode")
        # A label or a letter needs both; half an address would send the newsletter nowhere.
        if street and postcode == "":
            self.add_error(
                "postcode", ValidationError(_("Vul ook uw postcode in."), code="no_postcode")
            )
        elif postcode and not street:
            self.add_error(
                "street_address",
                ValidationError(_("Vul ook uw straat en huisnummer in."), code="no_street"),
            )
        return cleaned

    def save(self, commit=True):
        member = super().save(commit=False)
        member.user.first_name = self.cleaned_data["first_name"]
        member.user.last_name = self.cleaned_data["last_name"]
        if commit:
            member.user.save(update_fields=["first_name", "last_name"])
            member.save()
        return member


class RemovalRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Wilt u iets toelichten? (niet verplicht)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Ja, ik wil dat mijn account en mijn gegevens worden verwijderd"),
        error_messages={"required": _("Vink dit vakje aan als u het zeker weet.")},
    )


PHOTO_FORMATS = {"jpeg", "png", "gif", "webp"}


class PhotoField(WagtailImageField):
    """Wagtail's image field (size, pixel count and format checked from the file's header, before
    anything is decoded: https://docs.wagtail.org/en/stable/reference/settings.html#wagtailimages-max-image-pixels)
    with messages a contact person understands."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        size = filesizeformat(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
        megapixels = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 1_000_000
        # format_lazy: translated when shown, not when the form class is made.
        self.help_text = format_lazy(
            _("Een JPG-, PNG-, GIF- of WEBP-foto van hoogstens {size} en {megapixels} megapixel."),
            size=size,
            megapixels=megapixels,
        )
        self.error_messages.update(
            {
                "invalid_image": _("Dit bestand is geen foto die we kunnen gebruiken."),
                "invalid_image_extension": _("Kies een foto in JPG-, PNG-, GIF- of WEBP-formaat."),
                "invalid_image_known_format": _(
                    "Dit bestand is geen echte .%(extension)s-foto. Kies een foto in JPG-, PNG-, "
                    "GIF- of WEBP-formaat."
                ),
                "file_too_large": _(
                    "De foto is te groot (%(file_size)s, hoogstens %(max_filesize)s). Kies een "
                    "kleinere foto."
                ),
                "file_too_large_unknown_size": format_lazy(
                    _("De foto is te groot (hoogstens {size}). Kies een kleinere foto."), size=size
                ),
                "file_too_many_pixels": _(
                    "De foto heeft te veel pixels (%(num_pixels)s, hoogstens %(max_pixels_count)s)."
                    " Verklein de foto, bijvoorbeeld tot 4000 bij 3000 pixels, en probeer het "
                    "opnieuw."
                ),
            }
        )


class PostForm(forms.Form):
    """A news item or an event posted by a contact person from the binnenbuurt page."""

    title = forms.CharField(
        label=_("Titel"),
        max_length=120,
        error_messages={"required": _("Geef het bericht een titel.")},
    )
    text = forms.CharField(
        label=_("Tekst"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        error_messages={"required": _("Schrijf een korte tekst.")},
    )
    photo = PhotoField(label=_("Foto (niet verplicht)"), required=False)
    photo_description = forms.CharField(
        label=_("Wat staat er op de foto? (niet verplicht)"), max_length=200, required=False
    )
    attachment = forms.FileField(
        label=_("Bijlage (niet verplicht)"),
        required=False,
        help_text=_("Bijvoorbeeld een verslag als PDF of Word-bestand."),
    )
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, kind="news", **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == "event":
            self.fields["start"] = forms.DateTimeField(
                label=_("Datum en begintijd"),
                help_text=_("Bijvoorbeeld: 14-03-2026 15:00"),
                input_formats=["%d-%m-%Y %H:%M", "%Y-%m-%dT%H:%M", "%d-%m-%Y %H.%M"],
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                error_messages={
                    "required": _("Vul de datum en de begintijd in."),
                    "invalid": _("Vul de datum en tijd in zoals 14-03-2026 15:00."),
                },
            )
            self.fields["end_time"] = forms.TimeField(
                label=_("Eindtijd (niet verplicht)"),
                help_text=_("Bijvoorbeeld: 17:00. Weet u het niet? Laat het dan leeg."),
                required=False,
                input_formats=["%H:%M", "%H.%M"],
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                error_messages={"invalid": _("Vul de eindtijd in zoals 17:00.")},
            )
            self.fields["location"] = forms.CharField(
                label=_("Waar?"), max_length=200, required=False
            )

    def clean(self):
        cleaned_data = super().clean()
        start, end_time = cleaned_data.get("start"), cleaned_data.get("end_time")
        if start and end_time and end_time <= timezone.localtime(start).time():
            self.add_error("end_time", _("De eindtijd ligt vóór de begintijd. Kijk het even na."))
        return cleaned_data

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        # Size, pixels and format were checked by PhotoField; the admin also takes AVIF.
        if photo and photo.image.format_name not in PHOTO_FORMATS:
            raise ValidationError(_("Kies een foto in JPG-, PNG-, GIF- of WEBP-formaat."))
        return photo

    def clean_attachment(self):
        attachment = self.cleaned_data.get("attachment")
        if not attachment:
            return attachment
        extension = attachment.name.rsplit(".", 1)[-1].lower() if "." in attachment.name else ""
        if extension not in settings.WAGTAILDOCS_EXTENSIONS:
            raise ValidationError(
                _("Dit soort bestand kan niet. Kies een %(types)s-bestand.")
                % {"types": ", ".join(settings.WAGTAILDOCS_EXTENSIONS).upper()}
            )
        if attachment.size > settings.WAGTAILDOCS_MAX_UPLOAD_SIZE:
            raise ValidationError(
                _("De bijlage is te groot (hoogstens %(size)s).")
                % {"size": filesizeformat(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)}
            )
        return attachment
