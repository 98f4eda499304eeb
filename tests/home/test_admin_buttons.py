"""The shared page action buttons (home/admin_buttons.py) as events and the newsletter use them."""

import pytest

from django.contrib.auth import get_user_model

from wagtail import hooks

from events.factories import EventIndexPageFactory, EventPageFactory

pytestmark = pytest.mark.django_db


def labels(hook_name, page, user):
    # Called the way Wagtail's admin calls these hooks.
    extra = {"view_name": "edit"} if hook_name == "register_page_header_buttons" else {}
    found = []
    for hook in hooks.get_hooks(hook_name):
        found += [str(button.label) for button in hook(page, user=user, next_url=None, **extra)]
    return found


@pytest.mark.parametrize(
    "hook_name", ["register_page_header_buttons", "register_page_listing_more_buttons"]
)
def test_registrations_button_only_on_events_and_only_for_editors(home_page, hook_name):
    event = EventPageFactory(parent=EventIndexPageFactory(parent=home_page))
    admin = get_user_model().objects.create_superuser("beheer", "beheer@example.org", "x" * 12)
    reader = get_user_model().objects.create_user("lezer", "lezer@example.org", "x" * 12)

    assert "Aanmeldingen" in labels(hook_name, event, admin)
    assert "Aanmeldingen" not in labels(hook_name, home_page, admin)
    assert "Nieuwsbrief versturen" not in labels(hook_name, event, admin)
    assert "Aanmeldingen" not in labels(hook_name, event, reader)
