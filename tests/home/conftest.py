"""Fixtures for the public pages: a small site built with the home factories."""

import pytest

from home.factories import (
    ContentPageFactory,
    FormFieldFactory,
    FormPageFactory,
    StadsdorpIndexPageFactory,
    StadsdorpPageFactory,
    ThemeFactory,
)
from home.models import SiteSettings


@pytest.fixture
def english_home(home_page, locales):
    _dutch, english = locales
    translation = home_page.copy_for_translation(english)
    translation.title = "Network of Stadsdorpen"
    translation.save_revision().publish()
    return translation


@pytest.fixture
def themes(locales):
    dutch, english = locales
    cultuur = ThemeFactory(name="Cultuur", slug="cultuur", locale=dutch)
    groen = ThemeFactory(name="Groen", slug="groen", locale=dutch)
    ThemeFactory(
        name="Culture", slug="culture", locale=english, translation_key=cultuur.translation_key
    )
    return {"cultuur": cultuur, "groen": groen}


@pytest.fixture
def directory(home_page, themes):
    index = StadsdorpIndexPageFactory(parent=home_page, slug="stadsdorpen")
    StadsdorpPageFactory(parent=index, title="Stadsdorp Cultuurrijk", themes=[themes["cultuur"]])
    StadsdorpPageFactory(parent=index, title="Stadsdorp Groenoord", themes=[themes["groen"]])
    return index


@pytest.fixture
def content_page(home_page):
    return ContentPageFactory(parent=home_page, title="Over het netwerk", slug="over-het-netwerk")


@pytest.fixture
def contact_form(home_page):
    settings_object = SiteSettings.load()
    settings_object.contact_email = "info@stadsdorpen.example"
    settings_object.save()
    page = FormPageFactory(parent=home_page, slug="contact", to_address="")
    FormFieldFactory(page=page, label="Naam", field_type="singleline", required=True)
    FormFieldFactory(page=page, label="E-mailadres", field_type="email", required=True)
    FormFieldFactory(page=page, label="Bericht", field_type="multiline", required=True)
    return page


@pytest.fixture(autouse=True)
def clear_fragment_cache():
    """Menus and other fragments are cached per content generation; start every test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
