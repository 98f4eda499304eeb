"""Signed tokens in e-mail links (django.core.signing: HMAC under SECRET_KEY, with a salt each).

A token that does not verify gives ``None``; views then show the same neutral page whatever was
wrong, so a forged link reveals nothing (not even whether an address is subscribed).
https://docs.djangoproject.com/en/5.2/topics/signing/

No token carries personal data: a URL ends up in access logs, browser histories and mail
scanners. How long links work:

- unsubscribe links (in every newsletter): 400 days after the e-mail was sent, and only while the
  subscriber keeps the same address (a keyed hash of it is signed, not the address);
- unsubscribe links of the first format, which carried the address itself: 90 days after they
  were sent, then "Deze link werkt niet" with the way to a new one;
- confirmation links: 7 days, and only the newest one.
"""

from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Subscriber

UNSUBSCRIBE_SALT = "subscriptions.unsubscribe.v2"
UNSUBSCRIBE_MAX_AGE = timedelta(days=400)
LEGACY_UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"
LEGACY_UNSUBSCRIBE_MAX_AGE = timedelta(days=90)
CONFIRM_SALT = "subscriptions.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60  # a week to click the confirmation link


def _address_digest(email):
    return salted_hmac(UNSUBSCRIBE_SALT, (email or "").lower()).hexdigest()[:20]


def unsubscribe_token(subscriber):
    # The address's keyed hash is signed: the link stops working if the address changes.
    return signing.dumps(
        {"s": subscriber.pk, "a": _address_digest(subscriber.email)}, salt=UNSUBSCRIBE_SALT
    )


def read_unsubscribe_token(token):
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
        subscriber = Subscriber.objects.filter(pk=int(data["s"])).first()
        if subscriber and constant_time_compare(_address_digest(subscriber.email), data["a"]):
            return subscriber
        return None
    except signing.BadSignature:
        pass
    except (KeyError, TypeError, ValueError):
        return None
    try:
        data = signing.loads(
            token, salt=LEGACY_UNSUBSCRIBE_SALT, max_age=LEGACY_UNSUBSCRIBE_MAX_AGE
        )
        return Subscriber.objects.filter(pk=int(data["s"]), email=data["e"]).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def confirmation_token(subscriber, nonce):
    return signing.dumps({"s": subscriber.pk, "n": nonce}, salt=CONFIRM_SALT)


def read_confirmation_token(token):
    """The subscriber whose CURRENT confirmation link this is, else None."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        subscriber = Subscriber.objects.filter(pk=int(data["s"])).first()
        nonce = str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if subscriber is None or not subscriber.nonce_matches(nonce):
        return None
    return subscriber
