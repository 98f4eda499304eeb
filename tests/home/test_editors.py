"""What editors can do: Redacteuren may add pages, every page type previews."""

import pytest

from django.apps import apps
from django.contrib.auth.models import Group, User

from wagtail.fields import StreamField
from wagtail.models import Page

from home.factories import ContentPageFactory, StadsdorpPageFactory
from tests.conftest import login_with_second_factor

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


@pytest.mark.parametrize(
    "url",
    [
        "/admin/settings/home/navigationsettings/",
        "/admin/settings/home/sitesettings/",
        "/admin/snippets/home/theme/",
    ],
)
def test_settings_and_snippet_screens_open(client, home_page, url):
    admin = User.objects.create_superuser("beheer", "beheer@example.org", "geheim-wachtwoord-1")
    login_with_second_factor(client, admin)
    response = client.get(url, follow=True)
    assert response.status_code == 200


def test_editor_saves_the_menu_in_the_admin(client, home_page):
    from home.models import MenuItem

    admin = User.objects.create_superuser("beheer", "beheer@example.org", "geheim-wachtwoord-1")
    login_with_second_factor(client, admin)
    page = ContentPageFactory(parent=home_page, title="Nieuw hier?", slug="nieuw-hier")
    edit = client.get("/admin/settings/home/navigationsettings/", follow=True)
    edit_url = edit.redirect_chain[-1][0] if edit.redirect_chain else edit.request["PATH_INFO"]
    response = client.post(
        edit_url,
        {
            "menu_items-TOTAL_FORMS": "1",
            "menu_items-INITIAL_FORMS": "0",
            "menu_items-MIN_NUM_FORMS": "0",
            "menu_items-MAX_NUM_FORMS": "1000",
            "menu_items-0-link_page": str(page.pk),
            "menu_items-0-link_url": "",
            "menu_items-0-label": "",
            "menu_items-0-label_en": "",
            "menu_items-0-ORDER": "1",
            "menu_items-0-id": "",
            "menu_items-0-DELETE": "",
            "footer_links-TOTAL_FORMS": "0",
            "footer_links-INITIAL_FORMS": "0",
            "footer_links-MIN_NUM_FORMS": "0",
            "footer_links-MAX_NUM_FORMS": "1000",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert MenuItem.objects.filter(link_page=page).count() == 1
    assert 'href="/nl/nieuw-hier/">Nieuw hier?<' in client.get("/nl/").content.decode()


def streamfield_labels():
    """(where, label) for every block an editor meets in a StreamField of any page type."""
    found = []

    def walk(block, where):
        for name, child in getattr(block, "child_blocks", {}).items():
            found.append((f"{where}.{name}", str(child.label)))
            walk(child, f"{where}.{name}")
        if hasattr(block, "child_block"):  # a ListBlock
            walk(block.child_block, where)

    for model in apps.get_models():
        if issubclass(model, Page):
            for field in model._meta.get_fields():
                if isinstance(field, StreamField) and field.model is model:
                    walk(field.stream_block, f"{model.__name__}.{field.name}")
    return found


def test_every_block_label_starts_with_a_capital_as_wagtails_own_do():
    labels = streamfield_labels()
    assert len(labels) > 50
    lowercase = [where for where, label in labels if label[:1].islower()]
    assert lowercase == []
