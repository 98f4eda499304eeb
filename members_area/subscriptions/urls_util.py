"""Absolute links for e-mails: mail clients cannot resolve relative URLs.

The site's public address is ``WAGTAILADMIN_BASE_URL`` (the same setting Wagtail uses for links in
its own notification e-mails); https://docs.wagtail.org/en/stable/reference/settings.html
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def base_url():
    return (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")


def absolute_url(url):
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    return f"{base_url()}{url}"


def absolute_reverse(name, language=None, args=None, kwargs=None):
    with translation.override(language or translation.get_language() or "nl"):
        return absolute_url(reverse(name, args=args, kwargs=kwargs))
