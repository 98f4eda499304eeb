"""Served under a port that is not the default, every absolute link carries that address:
the sign-up e-mail's cancel link, the iCal feed's URLs, the sitemap and the canonical link."""

import re

import pytest

from django.core import mail
from django.test import Client

from cms import public_url
from tests.events.test_signup import post_signup

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8801"


@pytest.fixture
def served_on_8801(settings, home_page):
    settings.WAGTAILADMIN_BASE_URL = BASE
    public_url.sync_default_site()
    return Client(HTTP_HOST="127.0.0.1:8801")


def test_links_in_emails_ical_sitemap_and_pages_carry_the_public_address(
    served_on_8801, make_event
):
    client = served_on_8801
    event = make_event(title="Koffieochtend", signup_enabled=True, capacity=12)

    assert post_signup(client, event).status_code == 200
    body = mail.outbox[0].body
    assert re.search(rf"{re.escape(BASE)}/\S+/agenda-afmelden/\S+/", body)
    assert "testserver" not in body and "localhost" not in body

    feed = client.get(f"{event.get_parent().url}ical/").content.decode()
    urls = re.findall(r"^URL[^:]*:(\S+)", feed.replace("\r\n ", ""), flags=re.M)
    assert urls and all(url.startswith(f"{BASE}/") for url in urls)

    sitemap = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(location.startswith(f"{BASE}/") for location in locations)

    page = client.get(event.url).content.decode()
    assert f'rel="canonical" href="{BASE}{event.url}"' in page

    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {BASE}/sitemap.xml" in robots
