"""Every page model of the app has a factory that builds a valid, routable page."""

import pytest

from events import factories
from events.models import EventIndexPage, EventPage

pytestmark = pytest.mark.django_db

FACTORIES = {
    EventIndexPage: factories.EventIndexPageFactory,
    EventPage: factories.EventPageFactory,
}


def test_every_page_model_has_a_factory():
    from django.apps import apps

    from wagtail.models import Page

    page_models = {
        model for model in apps.get_app_config("events").get_models() if issubclass(model, Page)
    }
    assert page_models == set(FACTORIES)


def test_factories_build_pages_that_render(home_page, client):
    agenda = factories.EventIndexPageFactory(parent=home_page)
    event = factories.EventPageFactory(parent=agenda)
    event.full_clean()
    assert client.get(agenda.url).status_code == 200
    assert client.get(event.url).status_code == 200
