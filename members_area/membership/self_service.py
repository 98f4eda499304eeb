"""Members manage their own details: phone, consents, "bel mij liever", and their e-mail address.

Changing the e-mail address (the login) is a request until the new address confirms it: the link
sent there is signed (``django.core.signing``), valid ``EMAIL_LINK_VALID_FOR`` and works once, and
it holds no personal data (a row id and a random nonce). The login changes only when the link is
used; the old address is then told, so a change nobody asked for does not go unnoticed. An address
that another account uses is refused when asked and again when confirmed (it may have been taken
in between). https://docs.djangoproject.com/en/5.2/topics/signing/
"""

import hashlib
import secrets
from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members_area.forms import ProfileForm
from members_area.subscriptions.models import Subscriber

from . import emails
from .models import EmailChange, Membership
from .services import MembershipError, membership_for

EMAIL_LINK_VALID_FOR = timedelta(hours=48)
SALT = "members_area.membership.self_service.email_change"


class EmailChangeError(Exception):
    """A change that cannot be made; the message is Dutch and meant for the member."""


def taken_message():
    return _(
        "Dit e-mailadres hoort al bij een ander account. Kies een ander adres, of vraag de "
        "coördinator van uw stadsdorp om hulp."
    )


def _hash(nonce):
    return hashlib.sha256(nonce.encode()).hexdigest()


def email_taken(email, user):
    User = get_user_model()
    return (
        User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .exclude(pk=user.pk)
        .exists()
    )


def request_email_change(user, new_email, language="nl"):
    """Store the request and send the link to the new address; earlier open requests lapse."""
    new_email = new_email.strip().lower()
    if new_email == user.email.strip().lower():
        raise EmailChangeError(_("Dit is al uw e-mailadres."))
    if email_taken(new_email, user):
        raise EmailChangeError(taken_message())
    nonce = secrets.token_urlsafe(24)
    with transaction.atomic():
        EmailChange.objects.filter(user=user, confirmed_at__isnull=True).delete()
        change = EmailChange.objects.create(
            user=user, old_email=user.email, new_email=new_email, nonce_hash=_hash(nonce)
        )
        token = signing.dumps({"id": change.pk, "n": nonce}, salt=SALT)
        transaction.on_commit(
            lambda: emails.deliver(emails.email_change_link(user, change, token, language))
        )
    return change


def change_for_token(token):
    """The request a link belongs to, or None (forged, expired, or replaced by a newer one)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=EMAIL_LINK_VALID_FOR.total_seconds())
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    change = EmailChange.objects.filter(pk=data["id"]).select_related("user").first()
    if change is None or not constant_time_compare(change.nonce_hash, _hash(str(data.get("n")))):
        return None
    return change


@transaction.atomic
def confirm_email_change(change, language="nl"):
    """Make the new address the login; using the link a second time changes nothing."""
    change = EmailChange.objects.select_for_update().select_related("user").get(pk=change.pk)
    user = change.user
    if change.confirmed_at is not None:
        return user
    if user.email.strip().lower() != change.old_email.strip().lower():
        raise EmailChangeError(
            _("Deze link werkt niet meer: uw e-mailadres is intussen al gewijzigd.")
        )
    if email_taken(change.new_email, user):
        raise EmailChangeError(taken_message())
    old_email = user.email
    user.email = change.new_email
    fields = ["email"]
    if user.username.lower() == old_email.lower():
        user.username = change.new_email
        fields.append("username")
    user.save(update_fields=fields)
    # The newsletter follows the login address, unless that address already has a subscription.
    subscriber = Subscriber.objects.filter(user=user).first()
    if (
        subscriber is not None
        and not Subscriber.objects.filter(email=change.new_email).exclude(pk=subscriber.pk).exists()
    ):
        subscriber.email = change.new_email
        subscriber.save(update_fields=["email"])
    change.confirmed_at = timezone.now()
    change.save(update_fields=["confirmed_at"])
    transaction.on_commit(
        lambda: emails.deliver(emails.email_changed_notice(user, old_email, language))
    )
    return user


class EmailChangeForm(forms.Form):
    email = forms.CharField(
        label=gettext_lazy("Uw nieuwe e-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        help_text=gettext_lazy(
            "We sturen een e-mail met een link naar dit adres. Pas als u op die link klikt, "
            "logt u voortaan met het nieuwe adres in."
        ),
        error_messages={"required": gettext_lazy("Vul uw nieuwe e-mailadres in.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        try:
            validate_email(email)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Dit lijkt geen geldig e-mailadres. Bijvoorbeeld: naam@voorbeeld.nl")
            ) from None
        if email == self.user.email.strip().lower():
            raise forms.ValidationError(_("Dit is al uw e-mailadres."))
        if email_taken(email, self.user):
            raise forms.ValidationError(taken_message())
        return email


class MemberProfileForm(ProfileForm):
    """The member area's profile form plus what the membership keeps: sharing the address with
    the binnenbuurt, "bel mij liever" and the newsletter on paper."""

    share_address = forms.BooleanField(
        label=gettext_lazy("Mijn adres mag op de lijst van mijn binnenbuurt."), required=False
    )
    prefers_phone = forms.BooleanField(
        label=gettext_lazy("Bel mij liever dan dat u mij mailt."),
        required=False,
        help_text=gettext_lazy("Uw contactpersoon ziet dit op de lijst van de binnenbuurt."),
    )
    paper_newsletter = forms.BooleanField(
        label=gettext_lazy("Ik wil de nieuwsbrief ook op papier, in de brievenbus."),
        required=False,
    )
    MEMBERSHIP_FIELDS = ("share_address", "prefers_phone", "paper_newsletter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        member = self.instance
        self.membership = Membership.objects.filter(member=member).first()
        if self.membership is None and not member.binnenbuurt_id:
            # Not (yet) a member of a stadsdorp: nothing to keep these for.
            for name in self.MEMBERSHIP_FIELDS:
                del self.fields[name]
            return
        for name in self.MEMBERSHIP_FIELDS:
            self.fields[name].initial = bool(self.membership and getattr(self.membership, name))
        self.fields["listed_consent"].label = _(
            "Mijn naam en telefoonnummer mogen op de lijst van mijn binnenbuurt."
        )
        self.order_fields(
            [
                *self.FIELD_ORDER,
                "share_address",
                "prefers_phone",
                "paper_newsletter",
                "language",
            ]
        )

    @transaction.atomic
    def save(self, commit=True):
        member = super().save(commit=commit)
        if commit and self.MEMBERSHIP_FIELDS[0] in self.fields:
            try:
                membership = self.membership or membership_for(member)
            except MembershipError:
                return member
            for name in self.MEMBERSHIP_FIELDS:
                setattr(membership, name, self.cleaned_data[name])
            membership.save(update_fields=list(self.MEMBERSHIP_FIELDS))
        return member
