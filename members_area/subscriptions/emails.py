"""The newsletter e-mail for one subscriber: accessible HTML, a plain-text twin and the headers.

Accessibility: ``<html lang>`` in the reader's language, 18px+ body text, real headings (h1 for the
issue, h2 per section, h3 per item), alt text on every image, colours from ``COLOURS`` only (their
contrast pairs are checked in tests/members_area/test_subscriptions_email.py), underlined links,
and a plain-text alternative for readers and clients that do not show HTML.

Every message carries the one-click unsubscribe headers of RFC 8058 and a stable Message-ID
(``<newsletter-<issue>-<subscriber>@host>``) so a delivery can be traced in the mail server's log.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from home.models import SiteSettings

from .composition import audience_for
from .tokens import unsubscribe_token
from .urls_util import absolute_reverse, absolute_url, base_url

# Text/background pairs all reach at least 4.5:1 (WCAG 2.2 AA); most reach 7:1.
COLOURS = {
    "text": "#1b1b1b",
    "background": "#ffffff",
    "heading": "#14365d",
    "link": "#0a4a8c",
    "muted": "#474747",
    "panel": "#f4f1ea",
    "footer_text": "#ffffff",
    "footer_background": "#23313f",
}
CONTRAST_PAIRS = [
    ("text", "background"),
    ("heading", "background"),
    ("link", "background"),
    ("muted", "background"),
    ("text", "panel"),
    ("heading", "panel"),
    ("link", "panel"),
    ("muted", "panel"),
    ("footer_text", "footer_background"),
]


def mail_host():
    return urlsplit(base_url()).hostname or "localhost"


def organisation_name():
    try:
        return SiteSettings.load().organisation_name
    except Exception:  # no settings row yet (fresh database)
        return settings.WAGTAIL_SITE_NAME


def links_for(subscriber):
    token = unsubscribe_token(subscriber)
    return {
        "unsubscribe_url": absolute_reverse(
            "subscriptions:unsubscribe", subscriber.language, args=[token]
        ),
        "one_click_url": absolute_reverse(
            "subscriptions:unsubscribe_one_click", subscriber.language, args=[token]
        ),
    }


def render_newsletter(newsletter, subscriber, composer, organisation=None):
    """(subject, text, html, links) for one subscriber."""
    # One language per e-mail: the issue's. Readers of a language the issue was not translated
    # into get the original (see sending.recipients).
    language = newsletter.locale.language_code
    audience = audience_for(subscriber, language)
    with translation.override(language):
        sections = composer.sections_for(audience)
        links = links_for(subscriber)
        web_url = absolute_url(newsletter.get_url()) if newsletter.live else ""
        context = {
            "newsletter": newsletter,
            "subscriber": subscriber,
            "sections": sections,
            "language": language,
            "colours": COLOURS,
            "organisation": organisation or organisation_name(),
            "site_url": base_url() + "/",
            "web_url": web_url,
            "is_member": audience.is_member,
            **links,
        }
        html = render_to_string("subscriptions/email/newsletter.html", context)
        text = render_to_string("subscriptions/email/newsletter.txt", context)
    return newsletter.title, text, html, links


def build_message(newsletter, subscriber, composer, connection=None, organisation=None):
    subject, text, html, links = render_newsletter(newsletter, subscriber, composer, organisation)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[subscriber.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{links['one_click_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{organisation or organisation_name()} <nieuwsbrief.{mail_host()}>",
            "Message-ID": f"<newsletter-{newsletter.pk}-{subscriber.pk}@{mail_host()}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
