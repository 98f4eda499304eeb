"""What editors can do: Redacteuren may add pages, every page type previews."""

import pytest

from django.contrib.auth.models import Group, User

from home.factories import ContentPageFactory, StadsdorpPageFactory

pytestmark = pytest.mark.django_db


def test_redacteur_can_add_and_publish_below_the_home_page(home_page):
    user = User.objects.create_user("redacteur-test", password="geheim-wachtwoord-1")
    user.groups.add(Group.objects.get(name="Redacteuren"))
    permissions = home_page.permissions_for_user(user)
    assert permissions.can_add_subpage()
    assert permissions.can_edit()
    assert permissions.can_publish()
    assert not permissions.can_lock()  # locking pages is for Moderatoren


def test_moderator_approves_but_a_plain_user_cannot_edit(home_page):
    nobody = User.objects.create_user("gewoon-lid", password="geheim-wachtwoord-1")
    assert not home_page.permissions_for_user(nobody).can_edit()
    moderator = User.objects.create_user("moderator-test", password="geheim-wachtwoord-1")
    moderator.groups.add(Group.objects.get(name="Moderatoren"))
    assert home_page.permissions_for_user(moderator).can_lock()


@pytest.mark.parametrize("kind", ["home", "content", "directory", "stadsdorp", "form"])
def test_every_page_type_previews(kind, home_page, directory, contact_form, rf):
    pages = {
        "home": home_page,
        "content": ContentPageFactory(parent=home_page, slug="preview"),
        "directory": directory,
        "stadsdorp": StadsdorpPageFactory(parent=directory, slug="preview-dorp"),
        "form": contact_form,
    }
    page = pages[kind].specific
    for mode, _label in page.preview_modes:
        response = page.make_preview_request(preview_mode=mode)
        assert response.status_code == 200, (kind, mode)
