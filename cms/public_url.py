"""The site's public address: one setting, ``WAGTAILADMIN_BASE_URL``, for every absolute link.

Links that leave the page — in e-mails (sign-up cancel and waiting list, password reset, the
newsletter), the webcal address, iCal ``URL:``s, the sitemap, canonical and hreflang links, feeds,
print footers — must carry the address where the site is really served. Wagtail builds page URLs
from its ``Site`` record (hostname and port), and its own notification e-mails from
``WAGTAILADMIN_BASE_URL`` (https://docs.wagtail.org/en/stable/reference/settings.html#wagtailadmin-base-url);
``sync_default_site()`` makes the first agree with the second (``manage.py sync_site_address``,
also run by ``load_demo``), and code that needs an absolute URL outside a page calls ``absolute()``.

In production a missing or plain-HTTP address is an error of ``manage.py check --deploy``: a
forgotten variable would otherwise break every e-mailed link without anyone noticing.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

from wagtail.models import Site

DEFAULT_PORTS = {"http": 80, "https": 443}


def base_url():
    """``https://www.example.org`` (no trailing slash); '' when it is not configured."""
    return (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").strip().rstrip("/")


def absolute(url):
    """``url`` as an absolute URL on the public address (absolute URLs are left alone)."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    return f"{base_url()}{url if url.startswith('/') else '/' + url}"


def host():
    """The public host name without port, for identifiers such as iCal UIDs."""
    return urlsplit(base_url()).hostname or ""


def site_address():
    """(hostname, port) for Wagtail's ``Site`` from the base URL."""
    parts = urlsplit(base_url())
    return parts.hostname or "localhost", parts.port or DEFAULT_PORTS.get(parts.scheme, 80)


def sync_default_site():
    """Give the default Wagtail ``Site`` the public hostname and port; True when it changed."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or not base_url():
        return False
    hostname, port = site_address()
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save()  # Site.save clears Wagtail's cached site root paths
    return True


@checks.register(checks.Tags.security, deploy=True)
def check_public_base_url(app_configs=None, **kwargs):
    url = base_url()
    if not url:
        return [
            checks.Error(
                "WAGTAILADMIN_BASE_URL is not set.",
                hint="Set it to the public address, e.g. https://www.example.org: every link in "
                "e-mails, feeds and the sitemap is built from it.",
                id="cms.E001",
            )
        ]
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return [
            checks.Error(
                f"WAGTAILADMIN_BASE_URL must be an https:// address, not {url!r}.",
                hint="Links in e-mails would send members to a plain-HTTP address.",
                id="cms.E002",
            )
        ]
    return []
