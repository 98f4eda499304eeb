"""The member home is rendered for each request; its lists are one shared fragment per audience.

Private by default: the page (name, logout form, messages, user bar) is rendered per request, and
only the ``{% shared %}`` block is built once for all members with the same binnenbuurt, role and
groups, in a context that holds no member (home/fragments.py). These tests run outside a wrapping
transaction (``transaction=True``): the fragment cache is bypassed inside one, and sharing is what
is under test here.
"""

import re

import pytest

from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client, RequestFactory

from cms.page_cache import invalidate_all
from home import caching
from home.privacy import Viewer, audience
from members_area.models import Member
from members_area.services import enrol_member
from tests.conftest import login_with_second_factor

from .conftest import add_news, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def site_settings_exist(wagtail_roots, world):
    # The first page view creates the settings row, a content write that would empty the cache.
    from home.models import SiteSettings

    SiteSettings.load()


def member_of_a(world, email, first_name):
    user = make_user(email, first_name)
    enrol_member(Member.objects.create(user=user, binnenbuurt=world.a))
    return user


@pytest.fixture
def builds(monkeypatch):
    """Every time the shared lists are built (instead of read from the fragment cache)."""
    from members_area.templatetags import member_home_tags

    calls = []
    original = member_home_tags.shared_dashboard

    def counting(page, binnenbuurt_id, is_contact, viewer):
        calls.append((binnenbuurt_id, is_contact, viewer))
        return original(page, binnenbuurt_id, is_contact, viewer)

    monkeypatch.setattr(member_home_tags, "shared_dashboard", counting)
    return calls


def get_home(user, path=None, world=None, **extra):
    client = Client()
    # Administrators use two-factor authentication; this is their session after both steps.
    login_with_second_factor(client, user) if user.is_superuser else client.force_login(user)
    response = client.get(path or world.members_area.url, **extra)
    assert response.status_code == 200
    return client, response


def csrf_token_in(response):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "the logout form has no CSRF token"
    return match.group(1)


def test_members_of_one_binnenbuurt_share_the_lists_but_each_sees_their_own_name(world, builds):
    dirk = member_of_a(world, "dirk@example.org", "Dirk")
    _, anna_page = get_home(world.users["member_a"], world=world)
    dirk_client, dirk_page = get_home(dirk, world=world)

    assert len(builds) == 1  # Dirk got the lists Anna's request built
    assert audience(world.users["member_a"]) == audience(dirk)
    anna_html, dirk_html = anna_page.content.decode(), dirk_page.content.decode()
    assert "Ingelogd als Anna" in anna_html and "Anna" not in dirk_html
    assert "Ingelogd als Dirk" in dirk_html and "Dirk" not in anna_html
    assert "Zonnehof borrel verslag" in dirk_html
    # Nobody's e-mail address either (the name shown falls back to it).
    assert "dirk@example.org" not in anna_html

    # Dirk's logout form carries a token for Dirk's own CSRF cookie, so logging out works.
    assert csrf_token_in(dirk_page) != csrf_token_in(anna_page)
    logout_url = re.search(r'<form method="post" action="([^"]+)"', dirk_page.content.decode())[1]
    dirk_client.post(logout_url, {"csrfmiddlewaretoken": csrf_token_in(dirk_page)})
    after = dirk_client.get(world.members_area.url)
    assert after.status_code == 302  # logged out: the private page sends to the login page


def test_the_shared_lists_are_what_a_member_would_get_without_sharing(world, builds):
    dirk = member_of_a(world, "dirk@example.org", "Dirk")
    get_home(world.users["member_a"], world=world)
    _, shared = get_home(dirk, world=world)
    invalidate_all()
    _, fresh = get_home(dirk, world=world)

    assert len(builds) == 2  # Anna's, then Dirk's own after the invalidation

    def without_csrf(response):
        return re.sub(r'value="[^"]{64}"', "", response.content.decode())

    assert without_csrf(shared) == without_csrf(fresh)


def test_the_lists_are_built_for_a_viewer_without_personal_data(world, builds):
    get_home(world.users["member_a"], world=world)
    ((_binnenbuurt, _contact, viewer),) = builds
    assert isinstance(viewer, Viewer)
    assert viewer.pk is None and not hasattr(viewer, "email") and not hasattr(viewer, "first_name")
    assert audience(viewer) == audience(world.users["member_a"])


def test_another_binnenbuurt_never_gets_the_lists_of_the_first(world, builds):
    get_home(world.users["member_a"], world=world)
    _, bert_page = get_home(world.users["member_b"], world=world)
    html = bert_page.content.decode()

    assert len(builds) == 2
    assert "Lindengracht nieuwsbrief" in html
    assert "Zonnehof" not in html
    assert "Notulen Zonnehof" not in html


def test_a_contact_person_and_a_member_of_the_same_binnenbuurt_get_separate_lists(world, builds):
    get_home(world.users["member_a"], world=world)
    _, carla_page = get_home(world.users["contact_a"], world=world)
    assert len(builds) == 2
    assert "Ingelogd als Carla" in carla_page.content.decode()


def test_new_news_shows_at_the_next_request(world, builds):
    get_home(world.users["member_a"], world=world)
    add_news(world.page_a, "Snoeidag in de binnentuin")
    _, page = get_home(world.users["member_a"], world=world)
    assert len(builds) == 2
    assert "Snoeidag in de binnentuin" in page.content.decode()


def test_a_message_is_shown_only_to_its_own_member(world, builds):
    dirk = member_of_a(world, "dirk@example.org", "Dirk")
    anna_client = Client()
    anna_client.force_login(world.users["member_a"])
    anna_client.get(world.members_area.url)  # the shared lists exist now
    # What the message middleware does after a view adds a message: a signed messages cookie.
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.SUCCESS, "Uw profiel is opgeslagen.")
    carrier = HttpResponse()
    storage.update(carrier)
    anna_client.cookies.update(carrier.cookies)

    anna_page = anna_client.get(world.members_area.url)
    _, dirk_page = get_home(dirk, world=world)

    assert len(builds) == 1
    assert "Uw profiel is opgeslagen." in anna_page.content.decode()
    assert "Uw profiel is opgeslagen." not in dirk_page.content.decode()
    # Shown once, like every message.
    assert (
        "Uw profiel is opgeslagen." not in anna_client.get(world.members_area.url).content.decode()
    )


def test_text_size_changes_the_page_not_the_shared_lists(world, builds):
    dirk = member_of_a(world, "dirk@example.org", "Dirk")
    get_home(world.users["member_a"], world=world)
    client = Client()
    client.force_login(dirk)
    client.cookies["tekstgrootte"] = "extra-groot"
    response = client.get(world.members_area.url)
    assert len(builds) == 1
    assert 'class="text-size-extra-groot"' in response.content.decode()


def test_an_editor_gets_the_user_bar_and_a_member_does_not(world):
    admin = world.users["admin"]
    _, admin_page = get_home(admin, world=world)
    _, anna_page = get_home(world.users["member_a"], world=world)
    assert "wagtail-userbar" in admin_page.content.decode()
    assert "wagtail-userbar" not in anna_page.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in_even_when_lists_are_cached(world):
    get_home(world.users["member_a"], world=world)
    response = Client().get(world.members_area.url)
    assert response.status_code == 302


def test_a_preview_shows_its_draft_title_to_nobody_else(world, rf):
    page = world.members_area.specific
    page.title = "Concepttitel die nog niemand mag zien"
    request = rf.get(page.url)
    request.user = world.users["member_a"]
    request.session = Client().session
    request._messages = SessionStorage(request)
    # As the admin's preview and revision views serve it (Wagtail's make_preview_request): a
    # page's own serve() is the live page and sets is_preview back to False.
    request.is_preview = True
    response = page.serve_preview(request, page.default_preview_mode)
    response.render()
    assert "Concepttitel" in response.content.decode()

    _, page_after = get_home(world.users["member_a"], world=world)
    assert "Concepttitel" not in page_after.content.decode()


def test_nothing_personal_exists_inside_a_shared_block(world, rf):
    """A template change that shows the member inside a shared block shows nothing there."""
    anna = world.users["member_a"]
    request = rf.get("/")
    request.user = anna
    template = Template(
        "{% load fragment_tags %}{% shared 'test-leak' n=1 %}"
        "[{{ request.user.first_name }}|{{ user.email }}|{% csrf_token %}|{{ messages }}|"
        "{{ perms }}|{{ n }}|{{ viewer.is_authenticated }}]{% endshared %}"
    )
    context = {"request": request, "user": anna, "csrf_token": "geheim-token", "messages": ["hoi"]}
    html = template.render(Context(context))
    assert html == "[|||||1|True]"
    # And what was cached for Anna's audience is what Dirk's request gets: still nothing of Anna.
    dirk = member_of_a(world, "dirk@example.org", "Dirk")
    request.user = dirk
    assert template.render(Context({**context, "user": dirk})) == "[|||||1|True]"


def test_a_shared_block_refuses_a_key_that_is_not_a_plain_value(world, rf):
    request = rf.get("/")
    request.user = world.users["member_a"]
    template = Template("{% load fragment_tags %}{% shared 'test-key' who=user %}x{% endshared %}")
    with pytest.raises(TypeError):
        template.render(Context({"request": request, "user": object()}))


def test_the_fragment_cache_is_keyed_by_audience(world):
    anna, bert = world.users["member_a"], world.users["member_b"]
    assert caching.audience_parts(("x",), rf_request(anna)) != caching.audience_parts(
        ("x",), rf_request(bert)
    )


def rf_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_member_home_from_the_shared_lists_costs_a_few_queries(world, builds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dirk = member_of_a(world, "dirk@example.org", "Dirk")
    get_home(world.users["member_a"], world=world)  # builds the shared lists
    client = Client()
    client.force_login(dirk)
    client.get(world.members_area.url)  # this process's memos for the content generation
    with CaptureQueriesContext(connection) as queries:
        response = client.get(world.members_area.url)
    assert response.status_code == 200
    assert "Ingelogd als Dirk" in response.content.decode()
    assert len(builds) == 1
    # The session (in the database here; Redis in production), the user, whether a second factor
    # is needed, the page of the URL, the member's binnenbuurt, their groups and whether the user
    # bar shows. Routing, view restrictions and the site settings come from memory.
    assert len(queries) <= 7, [query["sql"][:120] for query in queries]


def test_a_members_binnenbuurt_and_roles_are_read_once_and_a_new_role_shows_at_once(world):
    """Which binnenbuurt and which administration links: one query per member and content
    generation in each process (``dashboard_audience``); making the member a coordinator is a
    write to the membership settings, so the next page shows the link."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from members_area.membership.models import MembershipSettings

    dirk = member_of_a(world, "dirk@example.org", "Dirk")
    queue = reverse("membership:queue")
    client, first = get_home(dirk, world=world)
    assert queue not in first.content.decode()
    reset_queries()  # each request empties the log: start the capture from an empty one
    with CaptureQueriesContext(connection) as queries:
        again = client.get(world.members_area.url)
    assert queue not in again.content.decode()
    assert not any("_coordinators" in query["sql"] for query in queries.captured_queries)

    MembershipSettings.objects.create(stadsdorp=world.stadsdorp).coordinators.add(dirk)
    assert queue in client.get(world.members_area.url).content.decode()


def test_a_preview_that_serves_the_page_itself_keeps_nothing_either(world, monkeypatch):
    """A page type whose preview goes through its own ``serve()`` (which sets ``is_preview``
    back to False) is still a preview: Wagtail's preview request is marked as a dummy."""
    page = world.stadsdorp.specific
    page.title = "Concepttitel die nog niemand mag zien"
    monkeypatch.setattr(page, "serve_preview", lambda request, mode: page.serve(request))
    response = page.make_preview_request(RequestFactory().get(page.url))
    assert "Concepttitel" in response.content.decode()

    # At the address the preview was made for (Wagtail gives it the site's host name).
    visitor = Client(HTTP_HOST="localhost")
    assert "Concepttitel" not in visitor.get(world.stadsdorp.url).content.decode()
