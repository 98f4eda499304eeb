"""The anonymous full-page cache: fast for visitors, never shared with or from a logged-in user."""

import pytest

from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client, override_settings

from wagtail.models import PageViewRestriction

from home.models import HomePage, SiteSettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enable_page_cache")]


@pytest.fixture
def enable_page_cache(db):
    # Site settings are created on first read; that write would invalidate the first page stored.
    SiteSettings.load()
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True, PAGE_CACHE_SECONDS=300):
        yield
    cache.clear()


@pytest.fixture
def private_page(home_page):
    page = home_page.add_child(instance=HomePage(title="Alleen voor leden", slug="leden"))
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return page


@pytest.fixture
def member(db):
    return User.objects.create_user("lid", "lid@example.org", "een-lang-wachtwoord")


def test_second_anonymous_request_is_served_from_the_cache(client, home_page):
    first = client.get("/nl/")
    second = client.get("/nl/")
    assert first.status_code == second.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_publishing_a_change_invalidates_the_cached_page(client, home_page):
    client.get("/nl/")
    home_page.title = "Nieuwe titel van het netwerk"
    home_page.save_revision().publish()
    response = client.get("/nl/")
    assert response["X-Page-Cache"] == "miss"
    assert "Nieuwe titel van het netwerk" in response.content.decode()


def test_unpublishing_invalidates_the_cached_page(client, home_page):
    child = home_page.add_child(instance=HomePage(title="Tijdelijk", slug="tijdelijk"))
    assert client.get("/nl/tijdelijk/").status_code == 200
    assert client.get("/nl/tijdelijk/")["X-Page-Cache"] == "hit"
    child.unpublish()
    assert client.get("/nl/tijdelijk/").status_code == 404


def test_a_members_private_page_is_never_served_to_an_anonymous_visitor(
    client, private_page, member
):
    client.force_login(member)
    member_response = client.get("/nl/leden/")
    assert member_response.status_code == 200
    assert "X-Page-Cache" not in member_response
    client.logout()
    anonymous_response = client.get("/nl/leden/")
    assert anonymous_response.status_code == 302
    assert "Alleen voor leden" not in anonymous_response.content.decode()


def test_a_logged_in_visitor_never_gets_the_anonymous_copy(client, home_page, member):
    client.get("/nl/")
    assert client.get("/nl/")["X-Page-Cache"] == "hit"
    client.force_login(member)
    response = client.get("/nl/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_a_group_restricted_page_is_never_stored(client, home_page, member):
    group = Group.objects.create(name="Binnenbuurt A")
    member.groups.add(group)
    page = home_page.add_child(instance=HomePage(title="Buurt A", slug="buurt-a"))
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    client.force_login(member)
    assert client.get("/nl/buurt-a/").status_code == 200
    client.logout()
    assert client.get("/nl/buurt-a/").status_code == 302


def test_a_response_that_sets_a_cookie_is_not_stored(client, home_page):
    page = home_page.add_child(instance=HomePage(title="Met wachtwoord", slug="wachtwoord"))
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="geheim-woord"
    )
    first = client.get("/nl/wachtwoord/")
    assert first.status_code == 200
    assert "csrftoken" in first.cookies
    client.cookies.clear()
    assert "X-Page-Cache" not in client.get("/nl/wachtwoord/")


def test_requests_with_other_cookies_bypass_the_cache(client, home_page):
    client.get("/nl/")
    client.cookies["messages"] = "something"
    assert "X-Page-Cache" not in client.get("/nl/")


def test_the_text_size_choice_is_part_of_the_key(client, home_page):
    client.get("/nl/")
    client.cookies["tekstgrootte"] = "groot"
    assert client.get("/nl/")["X-Page-Cache"] == "miss"
    assert client.get("/nl/")["X-Page-Cache"] == "hit"


def test_search_requests_reach_the_view_every_time(client, home_page):
    client.get("/nl/?q=buurt")
    assert "X-Page-Cache" not in client.get("/nl/?q=buurt")


def test_disabled_cache_stores_nothing(client, home_page):
    with override_settings(PAGE_CACHE_ENABLED=False):
        client.get("/nl/")
        assert "X-Page-Cache" not in client.get("/nl/")


def test_anonymous_cacheable_pages_tell_a_cdn_it_may_keep_them(client, home_page, settings):
    settings.CDN_CACHE_SECONDS = 120
    for _ in range(2):  # the page cache's miss and its hit
        response = client.get("/nl/")
        cache_control = response["Cache-Control"]
        assert "public" in cache_control and "s-maxage=120" in cache_control
        assert "max-age=0" in cache_control


def test_personal_or_variant_pages_get_no_public_cache_control(client, home_page, settings):
    settings.CDN_CACHE_SECONDS = 120
    member = User.objects.create_user("cdn-lid", "cdn@example.org", "een-lang-wachtwoord")
    client.cookies["tekstgrootte"] = "groot"
    assert "public" not in client.get("/nl/").get("Cache-Control", "")
    del client.cookies["tekstgrootte"]
    client.force_login(member)
    assert "public" not in client.get("/nl/").get("Cache-Control", "")
    settings.CDN_CACHE_SECONDS = 0
    client.logout()
    assert "s-maxage" not in Client().get("/nl/").get("Cache-Control", "")


def test_a_cached_page_is_stored_compressed_once_and_sent_as_stored(client, home_page):
    import gzip

    from cms import page_cache

    plain = client.get("/nl/").content  # a miss, no Accept-Encoding: uncompressed
    first = client.get("/nl/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    second = client.get("/nl/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert first["X-Page-Cache"] == second["X-Page-Cache"] == "hit"
    assert first["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first["Vary"]
    # The very bytes that were stored: no compression per hit (and no random padding).
    assert first.content == second.content
    assert gzip.decompress(first.content) == plain
    assert int(first["Content-Length"]) == len(first.content) < len(plain)
    stored = [
        key for key in page_cache._pages.entries if key.startswith("pagez:")
    ]  # one entry for the page, whatever the client accepts
    assert len(stored) == 1


def test_a_client_without_gzip_gets_the_cached_page_uncompressed(client, home_page):
    plain = client.get("/nl/").content
    response = client.get("/nl/", HTTP_ACCEPT_ENCODING="identity")
    assert response["X-Page-Cache"] == "hit"
    assert "Content-Encoding" not in response
    assert "Accept-Encoding" in response["Vary"]
    assert response.content == plain


def test_pages_that_are_not_cached_are_compressed_with_breach_padding(client, home_page, member):
    import gzip

    client.force_login(member)
    first = client.get("/nl/", HTTP_ACCEPT_ENCODING="gzip")
    second = client.get("/nl/", HTTP_ACCEPT_ENCODING="gzip")
    assert "X-Page-Cache" not in first
    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first["Vary"]
    assert gzip.decompress(first.content) == gzip.decompress(second.content)
    # Django's GZipMiddleware pads every response with a random number (0-99) of bytes against
    # BREACH: the same page, different compressed bytes. Two responses get the same padding one
    # time in a hundred, so a few more are asked for before concluding there is none.
    more = [client.get("/nl/", HTTP_ACCEPT_ENCODING="gzip").content for _ in range(3)]
    assert len({first.content, second.content, *more}) > 1
