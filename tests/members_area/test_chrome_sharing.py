"""The site header and footer are shared fragments per audience, with personal holes.

One copy of the header (and of the footer) serves every visitor with the same site, language and
audience and text size (home/fragments.py); the login button, the addresses of the language
links and of the text-size form's return, the menu's current page and the search words are
``{% personal %}`` holes, rendered for each request. The head's meta tags are shared per page,
the member's account bar with holes for the name, links and token. These
tests run outside a wrapping transaction (``transaction=True``): the fragment cache is bypassed
inside one, and sharing is what is under test here.
"""

import re

import pytest

from django.template import Context, Engine, Template, TemplateSyntaxError
from django.test import Client, RequestFactory

from home.models import MenuItem, NavigationSettings
from home.templatetags import navigation_tags
from kennisbank.factories import KennisbankIndexPageFactory
from members_area.models import Member
from members_area.services import enrol_member
from tests.conftest import login_with_second_factor

from .conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def settings_exist(wagtail_roots, world, settings_rows):
    pass


@pytest.fixture
def menu(world):
    """The main menu links to both binnenbuurt pages (each restricted to its members group)."""
    navigation = NavigationSettings.load()
    for number, page in enumerate((world.page_a, world.page_b)):
        MenuItem.objects.create(setting=navigation, link_page=page, sort_order=number)
    return navigation


def chrome_builds(fragment_builds):
    return [(parts, value) for parts, value in fragment_builds if parts[1] in ("header", "footer")]


def page_as(user, path="/nl/"):
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def header(html):
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_members_of_two_binnenbuurten_get_different_chromes(world, menu, fragment_builds):
    anna = page_as(world.users["member_a"])
    bert = page_as(world.users["member_b"])

    assert world.page_a.url in header(anna) and world.page_b.url not in header(anna)
    assert world.page_b.url in header(bert) and world.page_a.url not in header(bert)
    # Two audiences: a header and a footer for each.
    assert len(chrome_builds(fragment_builds)) == 4


def test_members_of_one_binnenbuurt_share_one_chrome(world, menu, fragment_builds):
    dirk = make_user("dirk@example.org", "Dirk")
    enrol_member(Member.objects.create(user=dirk, binnenbuurt=world.a))
    anna = page_as(world.users["member_a"])
    dirk_html = page_as(dirk)

    assert len(chrome_builds(fragment_builds)) == 2  # Dirk got Anna's header and footer
    assert header(anna) == header(dirk_html)
    assert world.page_a.url in header(dirk_html)


def test_an_anonymous_visitor_never_gets_a_members_chrome(world, menu, fragment_builds):
    page_as(world.users["member_a"])
    page_as(world.users["member_b"])
    anonymous = page_as(None)

    assert world.page_a.url not in header(anonymous)
    assert world.page_b.url not in header(anonymous)
    assert ">Inloggen<" in header(anonymous) and "Mijn stadsdorp" not in header(anonymous)
    assert len(chrome_builds(fragment_builds)) == 6  # one more header and footer, for "anonymous"
    # ... and a member never gets the anonymous copy back.
    assert world.page_a.url in header(page_as(world.users["member_a"]))


def test_the_shared_copies_hold_nothing_personal(world, menu, fragment_builds):
    KennisbankIndexPageFactory(parent=world.home, slug="kennisbank")  # the header's search box
    anna = world.users["member_a"]
    html = page_as(anna, "/nl/?q=zoekwoord")

    assert ">Mijn stadsdorp<" in header(html) and 'value="zoekwoord"' in header(html)
    stored = "".join(
        part
        for _parts, value in chrome_builds(fragment_builds)
        for part in value
        if isinstance(part, str)
    )
    for personal in ("Mijn stadsdorp", "Inloggen", "zoekwoord", "Anna", anna.email, "?q="):
        assert personal not in stored
    assert world.page_a.url in stored  # the menu itself is shared


def test_the_current_page_is_marked_per_request(world, menu, fragment_builds):
    on_own_page = page_as(world.users["member_a"], world.page_a.url)
    on_home = page_as(world.users["member_a"])

    assert len(chrome_builds(fragment_builds)) == 2
    assert f'href="{world.page_a.url}" aria-current="page"' in header(on_own_page)
    assert "aria-current" not in header(on_home).split('class="main-nav"')[1]


def render(source, request):
    return Template("{% load fragment_tags %}" + source).render(Context({"request": request}))


def test_a_personal_part_is_rendered_for_each_request(world, fragment_builds):
    source = (
        '{% shared "greeting" %}Hallo {% personal word="buur" %}{{ request.GET.naam }}, '
        "{{ word }}{% endpersonal %}!{% endshared %}"
    )
    factory = RequestFactory()
    first = factory.get("/", {"naam": "Anna"})
    second = factory.get("/", {"naam": "Bert"})
    first.user = second.user = world.users["member_a"]

    assert render(source, first) == "Hallo Anna, buur!"
    assert render(source, second) == "Hallo Bert, buur!"
    assert len(fragment_builds) == 1
    ((_parts, stored),) = fragment_builds
    assert "Anna" not in "".join(part for part in stored if isinstance(part, str))


def test_a_personal_part_must_sit_in_the_shared_block_itself(world, rf):
    request = rf.get("/")
    request.user = world.users["member_a"]
    engine = Engine(
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {"elders.html": "{% load fragment_tags %}{% personal %}x{% endpersonal %}"},
            )
        ],
        libraries={"fragment_tags": "home.templatetags.fragment_tags"},
    )
    template = engine.from_string(
        '{% load fragment_tags %}{% shared "wrong" %}{% include "elders.html" %}{% endshared %}'
    )
    # A {% personal %} in an included template cannot be found again from another process.
    with pytest.raises(TemplateSyntaxError):
        template.render(Context({"request": request}))


def test_a_personal_part_keeps_only_plain_values(world, rf):
    request = rf.get("/")
    request.user = world.users["member_a"]
    with pytest.raises(TypeError):
        render(
            '{% shared "wrong" %}{% personal who=viewer %}x{% endpersonal %}{% endshared %}',
            request,
        )


def test_each_text_size_has_a_header_of_its_own(world, fragment_builds):
    anonymous, larger = Client(), Client()
    larger.cookies["tekstgrootte"] = "groot"
    normal_html = anonymous.get("/nl/").content.decode()
    larger_html = larger.get("/nl/").content.decode()
    # The address the form returns to is this request's; a second visitor with the same size
    # gets the first one's copy.
    again = Client().get("/nl/?a=1").content.decode()

    pressed = 'class="text-size__button text-size__button--{}" aria-pressed="true"'
    assert pressed.format("normaal") in header(normal_html)
    assert pressed.format("groot") in header(larger_html)
    assert pressed.format("groot") not in header(normal_html)
    assert 'name="next" value="/nl/?a=1"' in header(again)
    sizes = [
        part
        for parts, _ in fragment_builds
        if parts[1] == "header"
        for part in parts
        if part.startswith("text_size=")
    ]
    assert sizes == ["text_size='normaal'", "text_size='groot'"]


def test_the_language_links_are_the_pages_own(world, locales, fragment_builds):
    _dutch, english = locales
    english_home = world.home.copy_for_translation(english)
    english_home.save_revision().publish()
    on_home = header(page_as(None))
    on_directory = header(page_as(None, world.stadsdorp.url))

    assert 'href="/nl/" aria-current="true" lang="nl"' in on_home
    assert f'href="{world.stadsdorp.url}" aria-current="true" lang="nl"' in on_directory
    # No English translation of the stadsdorp: its English link is the English home page.
    assert 'href="/en/" lang="en" hreflang="en"' in on_directory
    assert len([parts for parts, _ in fragment_builds if parts[1] == "header"]) == 1


def meta_builds(fragment_builds):
    return [value for parts, value in fragment_builds if parts[1] == "page-meta"]


def test_the_head_of_a_page_is_shared_by_its_visitors_until_it_changes(world, fragment_builds):
    page = world.stadsdorp
    for _visitor in range(2):
        assert '<meta property="og:title" content="Stadsdorp Noord">' in page_as(None, page.url)
    dirk = make_user("dirk@example.org", "Dirk")
    enrol_member(Member.objects.create(user=dirk, binnenbuurt=world.a))
    page_as(world.users["member_a"], page.url)
    page_as(dirk, page.url)
    # One copy for the anonymous visitors, one for Anna's and Dirk's audience.
    assert len(meta_builds(fragment_builds)) == 2
    assert f'<link rel="canonical" href="http://localhost{page.url}">' in "".join(
        meta_builds(fragment_builds)[0]
    )

    page.title = "Stadsdorp Noord-Oost"
    page.save_revision().publish()
    assert '<meta property="og:title" content="Stadsdorp Noord-Oost">' in page_as(None, page.url)


def account_bar(html):
    start = html.index('<nav class="member-account"')
    return html[start : html.index("</nav>", start)]


def test_the_account_bar_is_shared_but_names_and_tokens_are_each_members(world, fragment_builds):
    dirk = make_user("dirk@example.org", "Dirk")
    enrol_member(Member.objects.create(user=dirk, binnenbuurt=world.a))
    pages = {}
    for name, user in (("anna", world.users["member_a"]), ("dirk", dirk)):
        client = Client()
        client.force_login(user)
        pages[name] = account_bar(client.get(world.members_area.url).content.decode())
    carla = Client()
    carla.force_login(world.users["contact_a"])  # Zonnehof's coordinator
    pages["carla"] = account_bar(carla.get(world.members_area.url).content.decode())

    assert "Ingelogd als Anna" in pages["anna"] and "Ingelogd als Dirk" in pages["dirk"]
    assert "Aanmeldingen en leden" in pages["carla"]
    assert "Aanmeldingen en leden" not in pages["anna"] + pages["dirk"]
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        for html in pages.values()
    ]
    stored = [value for parts, value in fragment_builds if parts[1] == "account-bar"]
    # Dirk got the copy Anna's request built; Carla, a contact person, is another audience.
    assert len(stored) == 2
    shared_text = "".join(part for copy in stored for part in copy if isinstance(part, str))
    for personal in ("Anna", "Dirk", "Carla", dirk.email, "Aanmeldingen en leden", *tokens):
        assert personal not in shared_text
    assert "Mijn aanmeldingen" in shared_text


def test_an_editors_user_bar_is_rendered_once_per_page_until_content_changes(world, monkeypatch):
    editor = world.users["admin"]
    renders = []
    original = navigation_tags.wagtailuserbar

    def counting(context, *args, **kwargs):
        renders.append(context["page"].pk)
        return original(context, *args, **kwargs)

    monkeypatch.setattr(navigation_tags, "wagtailuserbar", counting)
    client = login_with_second_factor(Client(), editor)
    for _visit in range(2):
        assert "wagtail-userbar" in client.get(world.stadsdorp.url).content.decode()
    assert "wagtail-userbar" in client.get("/nl/").content.decode()
    assert renders == [world.stadsdorp.pk, world.home.pk]

    world.stadsdorp.save_revision().publish()  # a new content generation
    client.get(world.stadsdorp.url)
    assert renders == [world.stadsdorp.pk, world.home.pk, world.stadsdorp.pk]
    # A member who may not open the admin gets none, from the cache or otherwise.
    assert "wagtail-userbar" not in page_as(world.users["member_a"], world.stadsdorp.url)
