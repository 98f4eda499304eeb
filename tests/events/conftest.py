import pytest

from events.factories import EventIndexPageFactory


@pytest.fixture
def agenda(home_page):
    return EventIndexPageFactory(parent=home_page)
