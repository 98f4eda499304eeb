"""Signed tokens in e-mail links (django.core.signing: HMAC under SECRET_KEY, with a salt each).

A token that does not verify gives ``None``; views then show the same neutral page whatever was
wrong, so a forged link reveals nothing (not even whether an address is subscribed).
https://docs.djangoproject.com/en/5.2/topics/signing/
"""

from django.core import signing

UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"
CONFIRM_SALT = "subscriptions.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60  # a week to click the confirmation link


def unsubscribe_token(subscriber):
    # The address is part of the signed value: a token stops working if the address changes.
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    from .models import Subscriber

    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return Subscriber.objects.filter(pk=int(data["s"]), email=data["e"]).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def confirmation_token(subscriber, nonce):
    return signing.dumps({"s": subscriber.pk, "n": nonce}, salt=CONFIRM_SALT)


def read_confirmation_token(token):
    """The subscriber whose CURRENT confirmation link this is, else None."""
    from .models import Subscriber

    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        subscriber = Subscriber.objects.filter(pk=int(data["s"])).first()
        nonce = str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if subscriber is None or not subscriber.nonce_matches(nonce):
        return None
    return subscriber
