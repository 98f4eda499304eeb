"""RSS/Atom feeds (live, public items only) and the "Te herzien" admin report."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from django.contrib.auth.models import Group, Permission
from django.test import override_settings

from wagtail.models import GroupPagePermission

from kennisbank.factories import ArtikelPageFactory
from kennisbank.models import HelpfulVote
from kennisbank.reports import stale_items
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def rss_titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]


def test_rss_lists_live_public_items_newest_first(client, kennisbank, items, restrict_to_login):
    items["article"].publication_date = datetime.date.today()
    items["article"].save()
    restrict_to_login(items["report"])
    items["publication"].unpublish()
    titles = rss_titles(client, "/nl/kennisbank/feed/rss/")
    assert titles[0] == "Tien tips voor buurtprofessionals"
    assert "Een stadsdorp starten" in titles
    assert "Netwerkbijeenkomst binnenbuurten" not in titles  # private
    assert "Stadsdorpen in beeld" not in titles  # unpublished


def test_atom_feed_and_links(client, kennisbank, items):
    response = client.get("/nl/kennisbank/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = list(feed.iter(f"{ATOM}entry"))
    assert len(entries) == 4
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert all("/nl/kennisbank/" in link for link in links)


def test_feed_is_per_language(client, kennisbank, items):
    assert rss_titles(client, "/en/kennisbank/feed/rss/") == []


def test_private_index_subtree_is_absent_from_feed(client, kennisbank, items, restrict_to_login):
    restrict_to_login(kennisbank)
    assert rss_titles(client, "/nl/kennisbank/feed/rss/") == []


@override_settings(KENNISBANK_REVIEW_AFTER_DAYS=100)
def test_stale_items_use_the_configured_period(kennisbank, items):
    today = datetime.date.today()
    items["guide"].last_reviewed = today - datetime.timedelta(days=101)
    items["guide"].save()
    items["article"].last_reviewed = today - datetime.timedelta(days=99)
    items["article"].save()
    never = ArtikelPageFactory(
        parent=kennisbank, slug="nooit", publication_date=today - datetime.timedelta(days=500)
    )
    fresh = ArtikelPageFactory(parent=kennisbank, slug="vers", publication_date=today)
    stale = set(stale_items().values_list("pk", flat=True))
    assert items["guide"].pk in stale and never.pk in stale
    assert items["article"].pk not in stale and fresh.pk not in stale


def make_editor(django_user_model, kennisbank):
    editors = Group.objects.create(name="Kennisbank-redactie")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=editors, page=kennisbank, permission=Permission.objects.get(codename="change_page")
    )
    editor = django_user_model.objects.create_user("redacteur", password="geheim-wachtwoord")
    editor.groups.add(editors)
    return editor


def test_review_report_lists_stale_items_for_editors(client, django_user_model, kennisbank, items):
    items["guide"].last_reviewed = datetime.date(2020, 1, 1)
    items["guide"].content_owner = django_user_model.objects.create_user("eigenaar")
    items["guide"].save_revision().publish()
    items["article"].last_reviewed = datetime.date.today()
    items["article"].save_revision().publish()
    HelpfulVote.objects.create(page=items["guide"], helpful=True)
    HelpfulVote.objects.create(page=items["guide"], helpful=True)
    HelpfulVote.objects.create(page=items["guide"], helpful=False)
    login_with_second_factor(client, make_editor(django_user_model, kennisbank))
    response = client.get("/admin/reports/kennisbank-te-herzien/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Een stadsdorp starten" in content
    assert "eigenaar" in content
    assert "2 / 1" in content  # helpful votes yes / no
    assert "/admin/reports/kennisbank-te-herzien/" in client.get("/admin/").content.decode()
    export = client.get("/admin/reports/kennisbank-te-herzien/?export=csv")
    assert export.status_code == 200
    assert "Een stadsdorp starten" in b"".join(export.streaming_content).decode()
    assert "Tien tips voor buurtprofessionals" not in content


def test_review_report_is_forbidden_to_anonymous_and_non_editors(
    client, django_user_model, kennisbank, items
):
    response = client.get("/admin/reports/kennisbank-te-herzien/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    member = django_user_model.objects.create_user("lid", password="geheim-wachtwoord")
    client.force_login(member)
    response = client.get("/admin/reports/kennisbank-te-herzien/")
    assert response.status_code in (302, 403)


def test_report_menu_item_only_for_editors(django_user_model, kennisbank):
    from kennisbank.reports import ReviewReportView

    editor = make_editor(django_user_model, kennisbank)
    outsider = django_user_model.objects.create_user("buiten")
    assert ReviewReportView.user_may_view(editor)
    assert not ReviewReportView.user_may_view(outsider)
