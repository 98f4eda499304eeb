"""Spam protection for editor-built forms that asks nothing of people.

* a honeypot field, hidden from sighted people with CSS and from screen readers with
  ``aria-hidden`` and ``tabindex=-1`` (its label says to leave it empty, in case it is read anyway);
* a signed token holding a random id and the time the form was shown: a submission within
  ``MIN_SECONDS`` is too fast for a person; the id makes a second post of the same form (a double
  click, a reload) a no-op (``home.models.FormSubmissionToken``).

No CAPTCHA: our readers are often over 70 and a puzzle would shut them out.
"""

import time
import uuid

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.forms.forms import BaseForm, FormBuilder

HONEYPOT_FIELD = "hp_website"
TOKEN_FIELD = "form_token"
TOKEN_SALT = "home.forms.token"
MIN_SECONDS = 2
MAX_AGE_SECONDS = 60 * 60 * 24
SINGLELINE_MAX_LENGTH = 255
MULTILINE_MAX_LENGTH = 5000
EMAIL_MAX_LENGTH = 254


def make_token():
    return signing.dumps({"id": uuid.uuid4().hex, "ts": time.time()}, salt=TOKEN_SALT)


def read_token(value):
    """(uuid, shown_at) or None when the token is missing, tampered with or too old."""
    try:
        data = signing.loads(value or "", salt=TOKEN_SALT, max_age=MAX_AGE_SECONDS)
        return uuid.UUID(data["id"]), float(data["ts"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


class ProtectedForm(BaseForm):
    """Every form page's form: the editor's fields plus the honeypot and the token."""

    # The e-mail and phone fields of an editor-built form (set by ProtectedFormBuilder); other
    # forms that reuse this protection have none.
    contact_field_names = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_spam = False
        self.submission_token = None
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Laat dit veld leeg"),
            required=False,
            widget=forms.TextInput(
                attrs={"autocomplete": "off", "tabindex": "-1", "class": "hp-field__input"}
            ),
        )
        self.fields[TOKEN_FIELD] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=make_token
        )

    def renew_token(self):
        """A fresh token for the re-rendered form, keeping everything else that was typed."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data[self.add_prefix(TOKEN_FIELD)] = make_token()

    def clean(self):
        cleaned_data = super().clean()
        honeypot = cleaned_data.pop(HONEYPOT_FIELD, "")
        raw_token = cleaned_data.pop(TOKEN_FIELD, "")
        if honeypot:
            # A bot filled in the invisible field: pretend all is well, store nothing.
            self.is_spam = True
            return cleaned_data
        token = read_token(raw_token)
        if token is None:
            self.renew_token()
            raise forms.ValidationError(
                _(
                    "Het formulier was verlopen. Wat u invulde staat er nog; "
                    "verstuur het alstublieft opnieuw."
                ),
                code="token",
            )
        token_id, shown_at = token
        if time.time() - shown_at < MIN_SECONDS:
            raise forms.ValidationError(
                _(
                    "Het formulier werd wel heel snel verstuurd. Kijkt u uw gegevens nog even na "
                    "en verstuurt u het opnieuw?"
                ),
                code="too_fast",
            )
        self.submission_token = token_id
        self.clean_contact_fields(cleaned_data)
        return cleaned_data

    def full_clean(self):
        super().full_clean()
        # Tie each error message to its field for screen readers (Django links the help text).
        for name in self.errors:
            if name in self.fields and name != "__all__":
                bound_field = self[name]
                described_by = [f"{bound_field.auto_id}_error"]
                if self.fields[name].help_text:
                    described_by.append(f"{bound_field.auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described_by)

    def clean_contact_fields(self, cleaned_data):
        """A form that asks for e-mail and phone, both optional, needs one of them to answer."""
        names = [name for name in self.contact_field_names if name in self.fields]
        if len(names) < 2 or any(self.fields[name].required for name in names):
            return
        if not any(cleaned_data.get(name) for name in names) and not any(
            name in self.errors for name in names
        ):
            self.add_error(
                names[0],
                _(
                    "Vul uw e-mailadres of uw telefoonnummer in: anders kunnen we u niet "
                    "antwoorden."
                ),
            )

    @property
    def visible_editor_fields(self):
        return [field for field in self if field.name not in (HONEYPOT_FIELD, TOKEN_FIELD)]


MAX_LENGTH_MESSAGE = _(
    "Dit is te lang: gebruik hoogstens %(limit_value)d tekens (nu zijn het er %(show_value)d)."
)
INVALID_EMAIL_MESSAGE = _(
    "Dit lijkt geen geldig e-mailadres. Een e-mailadres ziet eruit als naam@voorbeeld.nl."
)


# Browsers fill these in for people who find typing hard; the name field is known by its name.
NAME_FIELD_NAMES = {"naam", "name", "uw_naam", "your_name", "volledige_naam", "full_name"}
PHONE_MAX_LENGTH = 40


class ProtectedFormBuilder(FormBuilder):
    """Wagtail's form builder with length limits on every text field, a phone field type, the
    browser's autocomplete on name, e-mail and phone, and our protected form."""

    def create_singleline_field(self, field, options):
        options["max_length"] = SINGLELINE_MAX_LENGTH
        options["error_messages"] = {"max_length": MAX_LENGTH_MESSAGE}
        if field.clean_name in NAME_FIELD_NAMES:
            options["widget"] = forms.TextInput(attrs={"autocomplete": "name"})
        return forms.CharField(**options)

    def create_phone_field(self, field, options):
        options["max_length"] = PHONE_MAX_LENGTH
        options["error_messages"] = {"max_length": MAX_LENGTH_MESSAGE}
        options["widget"] = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
        return forms.CharField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = MULTILINE_MAX_LENGTH
        options["error_messages"] = {"max_length": MAX_LENGTH_MESSAGE}
        options.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        return forms.CharField(**options)

    def create_email_field(self, field, options):
        options["max_length"] = EMAIL_MAX_LENGTH
        options["error_messages"] = {
            "max_length": MAX_LENGTH_MESSAGE,
            "invalid": INVALID_EMAIL_MESSAGE,
        }
        options["widget"] = forms.EmailInput(attrs={"autocomplete": "email"})
        return forms.EmailField(**options)

    def get_form_class(self):
        contact_field_names = [
            field.clean_name for field in self.fields if field.field_type in ("email", "phone")
        ]
        return type(
            "WagtailForm",
            (ProtectedForm,),
            {**self.formfields, "contact_field_names": contact_field_names},
        )
