"""Editor groups from the data migration, and the demo site's pages in two languages (that the demo
is complete and idempotent: ``test_demo.py``)."""

import io

import pytest

from django.contrib.auth.models import Group
from django.core.management import call_command

from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Site, WorkflowPage

from home.models import HomePage, StadsdorpPage, Theme

pytestmark = pytest.mark.django_db


def test_editor_groups_exist_after_migrate():
    editors = Group.objects.get(name="Redacteuren")
    moderators = Group.objects.get(name="Moderatoren")
    editor_page_permissions = set(
        GroupPagePermission.objects.filter(group=editors).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page"} <= editor_page_permissions
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"access_admin", "change_sitesettings", "change_navigationsettings"} <= codenames
    moderator_page_permissions = set(
        GroupPagePermission.objects.filter(group=moderators).values_list(
            "permission__codename", flat=True
        )
    )
    assert editor_page_permissions < moderator_page_permissions
    assert editors.collection_permissions.filter(permission__codename="add_image").exists()


def test_moderators_approve_in_the_default_workflow():
    root = Page.get_first_root_node()
    workflow_page = WorkflowPage.objects.get(page=root)
    task = GroupApprovalTask.objects.get(workflow_tasks__workflow=workflow_page.workflow)
    assert task.groups.filter(name="Moderatoren").exists()


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_demo_builds_the_site_in_two_languages(demo, client):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()
    assert Theme.objects.filter(locale__language_code="nl").count() == 14
    assert Theme.objects.filter(locale__language_code="en").count() == 14
    assert StadsdorpPage.objects.filter(locale__language_code="nl").count() == 6
    assert "Start een stadsdorp" in client.get("/nl/").content.decode()
    english = client.get("/en/").content.decode()
    assert "Start a stadsdorp" in english
    assert client.get("/nl/stadsdorpen/?thema=cultuur").status_code == 200
    # All pages in one test: loading the demo site takes a while.
    for url, text in DEMO_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


DEMO_PAGES = [
    ("/nl/over-het-netwerk/", "Wat is een stadsdorp?"),
    ("/en/about-the-network/", "What is a stadsdorp?"),
    ("/nl/nieuw-hier/", "Veelgestelde vragen"),
    ("/en/new-here/", "Frequently asked questions"),
    ("/en/become-a-member/", "How to become a member"),
    ("/nl/stadsdorpen/", "Stadsdorp Rivierenbuurt-Noord"),
    ("/en/stadsdorpen/?thema=culture", "Culture"),
    ("/nl/stadsdorpen/spaarndammerhout/", "Ahmed el Amrani"),
    ("/en/stadsdorpen/spaarndammerhout/", "Inner neighbourhoods"),
    ("/nl/contact/", "Uw vraag of bericht"),
    ("/en/contact/", "Your question or message"),
]
