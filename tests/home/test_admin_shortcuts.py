"""The dashboard's "Snel aan de slag" panel: one click to a new verslag or activity, only for
editors who may add that page there."""

import pytest

from django.contrib.auth.models import Group, User
from django.urls import reverse

from events.factories import EventIndexPageFactory
from kennisbank.factories import KennisbankIndexPageFactory
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db


def add_url(app, model, parent):
    return reverse("wagtailadmin_pages:add", args=[app, model, parent.pk])


@pytest.fixture
def indexes(home_page):
    return KennisbankIndexPageFactory(parent=home_page), EventIndexPageFactory(parent=home_page)


def test_redacteur_gets_one_click_to_a_new_verslag_and_activity(client, indexes):
    kennisbank, agenda = indexes
    editor = User.objects.create_user("redacteur-test", password="geheim-wachtwoord-1")
    editor.groups.add(Group.objects.get(name="Redacteuren"))
    login_with_second_factor(client, editor)

    content = client.get("/admin/").content.decode()

    assert "Snel aan de slag" in content
    assert f'href="{add_url("kennisbank", "verslagpage", kennisbank)}">Nieuw verslag<' in content
    assert f'href="{add_url("events", "eventpage", agenda)}">Nieuwe activiteit<' in content
    assert client.get(add_url("kennisbank", "verslagpage", kennisbank)).status_code == 200


def test_no_shortcut_where_the_editor_may_not_add(client, indexes):
    kennisbank, _agenda = indexes
    kennisbank.delete()
    user = User.objects.create_user("alleen-kijken", password="geheim-wachtwoord-1", is_staff=True)
    user.user_permissions.add(*Group.objects.get(name="Redacteuren").permissions.all())
    login_with_second_factor(client, user)
    response = client.get("/admin/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Snel aan de slag" not in content  # an empty panel is not shown
    assert "Nieuw verslag" not in content
    assert "Nieuwe activiteit" not in content  # no page permissions on the agenda
