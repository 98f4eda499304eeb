"""Fixtures shared by the whole suite."""

import pytest

from wagtail.models import Locale, Page, Site


@pytest.fixture
def locales(db):
    dutch, _ = Locale.objects.get_or_create(language_code="nl")
    english, _ = Locale.objects.get_or_create(language_code="en")
    return dutch, english


@pytest.fixture
def home_page(locales):
    """A Dutch home page as the default site's root, like the real site has."""
    from home.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Netwerk Stadsdorpen", slug="home-test"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Test"},
    )
    return home
