""" "Was this helpful?": anonymous votes, counted once per browser through a signed cookie.

A signed cookie per page (rather than a session) means no account and no session row is needed;
a repeated or double submit from the same browser finds the cookie and is not counted again.
"""

from django.core import signing

COOKIE_SALT = "kennisbank.helpful"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365


def cookie_name(page):
    return f"kb_helpful_{page.pk}"


def has_voted(request, page):
    try:
        value = request.get_signed_cookie(cookie_name(page), salt=COOKIE_SALT)
    except (KeyError, signing.BadSignature):
        return False
    return value == str(page.pk)


def remember_vote(response, page):
    response.set_signed_cookie(
        cookie_name(page),
        str(page.pk),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
    )
