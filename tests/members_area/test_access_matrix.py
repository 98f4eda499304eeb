"""Every role against every kind of resource: allowed AND denied, both ways.

Roles: anonymous, member A (binnenbuurt Zonnehof), member B (Lindengracht), contact person A,
editor ("Redacteuren", not in a binnenbuurt) and administrator (superuser).
"""

import re
from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

from home.privacy import visible_pages
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member_a", "member_b", "contact_a", "editor", "admin"]
# What each role may do with binnenbuurt A's private things.
SEES_A = {"member_a", "contact_a", "admin"}
LOGGED_IN = set(ROLES) - {"anonymous"}
EDITS_A_IN_ADMIN = {"contact_a", "editor", "admin"}
EDITS_B_IN_ADMIN = {"editor", "admin"}


@pytest.fixture
def event_a(world):
    from events.models import EventIndexPage, EventPage

    index = world.home.add_child(instance=EventIndexPage(title="Agenda", slug="agenda"))
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    public = index.add_child(
        instance=EventPage(title="Open koffieochtend", slug="koffie", start=start, end=start)
    )
    private = world.page_a.add_child(
        instance=EventPage(
            title="Zonnehof buurtborrel",
            slug="buurtborrel",
            start=start,
            end=start + timedelta(hours=2),
            audience=EventPage.Audience.BINNENBUURT,
            audience_group=world.a.members_group,
        )
    )
    return {"index": index, "public": public, "private": private}


def client_for(client, world, role):
    if role in ("editor", "admin"):
        # They must use two-factor authentication; this is their session after both steps.
        login_with_second_factor(client, world.users[role])
    elif role != "anonymous":
        client.force_login(world.users[role])
    return client


def check(response, role, allowed, anonymous_redirects=True):
    if role in allowed:
        assert response.status_code == 200, f"{role} should be allowed, got {response.status_code}"
        return
    if role == "anonymous" and anonymous_redirects:
        assert response.status_code == 302
        assert response["Location"].startswith("/nl/login/?next=")
    else:
        assert response.status_code == 403, f"{role} should be refused, got {response.status_code}"
        # The refusal names nothing of what is behind it.
        assert b"Zonnehof" not in response.content
        assert b"Geen toegang" in response.content


@pytest.mark.parametrize("role", ROLES)
def test_public_page(client, world, role):
    response = client_for(client, world, role).get(world.home.url)
    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_member_home(client, world, role):
    response = client_for(client, world, role).get(world.members_area.url)
    check(response, role, LOGGED_IN)
    if role in LOGGED_IN:
        content = response.content.decode()
        # The listing on the member home: own binnenbuurt news only for its members.
        assert ("Zonnehof borrel verslag" in content) == (role in {"member_a", "contact_a"})
        assert ("Lindengracht nieuwsbrief" in content) == (role == "member_b")
        assert "Algemene ledenvergadering" in content
        assert ("020 111 11 11" in content) is False  # member phones are not on the home
        assert ("06 12345678" in content) == (role in {"member_a", "contact_a"})


@pytest.mark.parametrize("role", ROLES)
def test_binnenbuurt_page(client, world, role):
    response = client_for(client, world, role).get(world.page_a.url)
    check(response, role, SEES_A)
    if role in SEES_A:
        assert b"Zonnehof borrel verslag" in response.content


@pytest.mark.parametrize("role", ROLES)
def test_binnenbuurt_news_item(client, world, role):
    response = client_for(client, world, role).get(world.news_a.url)
    check(response, role, SEES_A)


@pytest.mark.parametrize("role", ROLES)
def test_binnenbuurt_news_in_site_search(world, role):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else world.users[role]
    found = [page.pk for page in Page.objects.live().search("Zonnehof borrel")]
    assert world.news_a.pk in found  # the search index has it ...
    visible = visible_pages(Page.objects.filter(pk__in=found), user)
    # ... and the privacy filter keeps it to the people it is for.
    assert visible.filter(pk=world.news_a.pk).exists() == (role in SEES_A)


@pytest.mark.parametrize("role", ROLES)
def test_kennisbank_search_never_shows_member_news(client, world, role):
    from kennisbank.models import KennisbankIndexPage

    index = world.home.add_child(instance=KennisbankIndexPage(title="Kennisbank", slug="kb"))
    response = client_for(client, world, role).get(index.url, {"q": "Zonnehof borrel"})
    assert response.status_code == 200
    assert "Zonnehof borrel verslag" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_home_listing_and_sitemap_leave_out_private_pages(client, world, role):
    client = client_for(client, world, role)
    home = client.get(world.home.url).content.decode()
    assert "Zonnehof borrel verslag" not in home
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert world.page_a.slug not in sitemap.content.decode()
    assert "mijn-stadsdorp" not in sitemap.content.decode()
    assert world.news_a.slug not in sitemap.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_kennisbank_feed_leaves_out_member_news(client, world, role):
    response = client_for(client, world, role).get("/nl/kennisbank/feed/rss/")
    assert response.status_code == 200
    assert b"Zonnehof" not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_binnenbuurt_document(client, world, role):
    response = client_for(client, world, role).get(world.document_a.url)
    check(response, role, SEES_A)
    if role in SEES_A:
        assert b"".join(response.streaming_content) == b"notulen"


@pytest.mark.parametrize("role", ROLES)
def test_direct_media_url_of_a_document_never_works(client, world, role):
    response = client_for(client, world, role).get(world.document_a.file.url)
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_binnenbuurt_event_page_and_ical(client, world, event_a, role):
    client = client_for(client, world, role)
    private = event_a["private"]
    check(client.get(private.url), role, SEES_A)
    ics = client.get(private.url + "ical/")
    check(ics, role, SEES_A)
    if role in SEES_A:
        assert b"BEGIN:VCALENDAR" in ics.content
        assert b"Zonnehof buurtborrel" in ics.content


@pytest.mark.parametrize("role", ROLES)
def test_agenda_feed_and_listing_show_group_event_to_its_members(client, world, event_a, role):
    client = client_for(client, world, role)
    feed = client.get(event_a["index"].url + "ical/")
    assert feed.status_code == 200
    assert b"Open koffieochtend" in feed.content
    # The feed is built for whoever asks: a calendar app (anonymous) never gets the event.
    assert (b"Zonnehof buurtborrel" in feed.content) == (role in SEES_A)
    agenda = client.get(event_a["index"].url)
    assert agenda.status_code == 200
    assert ("Zonnehof buurtborrel" in agenda.content.decode()) == (role in SEES_A)


@pytest.mark.parametrize("role", ROLES)
def test_member_home_lists_binnenbuurt_event_only_for_its_members(client, world, event_a, role):
    response = client_for(client, world, role).get(world.members_area.url)
    if role == "anonymous":
        assert response.status_code == 302
        return
    # Binnenbuurt events show under "your binnenbuurt" only, never among the general ones.
    content = response.content.decode()
    assert ("Zonnehof buurtborrel" in content) == (role in {"member_a", "contact_a"})
    assert content.count("Zonnehof buurtborrel") <= 1


@pytest.mark.parametrize("role", ROLES)
def test_admin_edit_binnenbuurt_a(client, world, role):
    response = client_for(client, world, role).get(
        reverse("wagtailadmin_pages:edit", args=[world.page_a.pk])
    )
    assert (response.status_code == 200) == (role in EDITS_A_IN_ADMIN)


@pytest.mark.parametrize("role", ROLES)
def test_admin_edit_binnenbuurt_b(client, world, role):
    response = client_for(client, world, role).get(
        reverse("wagtailadmin_pages:edit", args=[world.page_b.pk])
    )
    assert (response.status_code == 200) == (role in EDITS_B_IN_ADMIN)


@pytest.mark.parametrize("role", ROLES)
def test_admin_add_news_under_binnenbuurt(client, world, role):
    client = client_for(client, world, role)
    for section, allowed in ((world.page_a, EDITS_A_IN_ADMIN), (world.page_b, EDITS_B_IN_ADMIN)):
        response = client.get(
            reverse(
                "wagtailadmin_pages:add",
                args=["members_area", "binnenbuurtnewspage", section.pk],
            )
        )
        assert (response.status_code == 200) == (role in allowed), section.title


@pytest.fixture
def private_photo(world):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(
        title="Buurtborrel",
        file=get_test_image_file(filename="zonnehof-borrel-bij-anna.png", size=(640, 480)),
        collection=world.a.collection,
    )
    news = world.news_a
    news.image = image
    news.save_revision().publish()
    return image


@pytest.mark.parametrize("role", ROLES)
def test_binnenbuurt_photo_rendition(client, world, private_photo, role):
    rendition = private_photo.get_rendition("fill-200x150")
    response = client_for(client, world, role).get(rendition.url)
    check(response, role, SEES_A)
    if role in SEES_A:
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
        assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("role", ROLES)
def test_binnenbuurt_photo_original(client, world, private_photo, role):
    response = client_for(client, world, role).get(
        reverse("private_image", args=[private_photo.pk])
    )
    check(response, role, SEES_A)
    if role in SEES_A:
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize("role", ROLES)
def test_binnenbuurt_photo_on_the_news_page_goes_through_the_check(
    client, world, private_photo, role
):
    response = client_for(client, world, role).get(world.news_a.url)
    check(response, role, SEES_A)
    if role in SEES_A:
        sources = re.findall(r'<img[^>]+src="([^"]+)"', response.content.decode())
        photo = [source for source in sources if f"/afbeeldingen/{private_photo.pk}/" in source]
        assert photo, sources
        assert client.get(photo[0]).status_code == 200


def test_binnenbuurt_photo_files_are_stored_apart_under_random_names(world, private_photo):
    rendition = private_photo.get_rendition("fill-200x150")
    for name in (private_photo.file.name, rendition.file.name):
        assert name.startswith("private_images/")
        assert "zonnehof" not in name and "borrel" not in name
    # The web server serves /media/images/ only; these are not there.
    assert not rendition.url.startswith("/media/")


def test_public_photos_stay_direct(world):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(
        title="Koffieochtend", file=get_test_image_file(filename="koffie.png")
    )
    assert image.file.name.startswith("original_images/")
    assert image.get_rendition("width-100").url.startswith("/media/images/koffie")


def test_privacy_changes_of_a_collection_move_the_files(client, world, private_photo):
    from wagtail.models import CollectionViewRestriction

    old_rendition = private_photo.get_rendition("width-100")
    CollectionViewRestriction.objects.filter(collection=world.a.collection).delete()
    private_photo.refresh_from_db()
    assert private_photo.file.name.startswith("original_images/")
    assert not private_photo.renditions.filter(pk=old_rendition.pk).exists()
    assert private_photo.get_rendition("width-100").url.startswith("/media/images/")
    # And private again: the public renditions are deleted, new ones go through the check.
    restriction = CollectionViewRestriction.objects.create(
        collection=world.a.collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.set([world.a.members_group, world.a.contacts_group])
    private_photo.refresh_from_db()
    assert private_photo.file.name.startswith("private_images/")
    assert client.get(private_photo.get_rendition("width-100").url).status_code == 302


def test_moving_a_photo_to_a_public_collection_makes_it_public(world, private_photo):
    from wagtail.models import Collection

    private_photo.collection = Collection.get_first_root_node()
    private_photo.save()
    assert private_photo.file.name.startswith("original_images/")
