"""The agenda's page factories build valid, routable pages (every model has a factory:
``tests/test_factories.py``)."""

import pytest

from events import factories

pytestmark = pytest.mark.django_db


def test_factories_build_pages_that_render(home_page, client):
    agenda = factories.EventIndexPageFactory(parent=home_page)
    event = factories.EventPageFactory(parent=agenda)
    event.full_clean()
    assert client.get(agenda.url).status_code == 200
    assert client.get(event.url).status_code == 200
