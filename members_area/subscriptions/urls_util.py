"""Absolute links for e-mails: mail clients cannot resolve relative URLs.

The site's public address is ``WAGTAILADMIN_BASE_URL``, read through ``cms/public_url.py``.
"""

from django.urls import reverse
from django.utils import translation

from cms.public_url import absolute as absolute_url
from cms.public_url import base_url  # noqa: F401 - part of this module's interface


def absolute_reverse(name, language=None, args=None, kwargs=None):
    with translation.override(language or translation.get_language() or "nl"):
        return absolute_url(reverse(name, args=args, kwargs=kwargs))
