"""Main menu, footer, language switcher and the text-size control."""

import pytest

from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

from home.factories import ContentPageFactory
from home.models import FooterLink, MenuItem, NavigationSettings

pytestmark = pytest.mark.django_db


def menu_html(response):
    html = response.content.decode()
    start = html.index('<nav class="main-nav"')
    return html[start : html.index("</nav>", start)]


@pytest.fixture
def navigation():
    settings_object = NavigationSettings.load()
    settings_object.save()
    return settings_object


def add_item(navigation, page=None, url="", label="", label_en="", footer=False):
    model = FooterLink if footer else MenuItem
    return model.objects.create(
        setting=navigation,
        link_page=page,
        link_url=url,
        label=label,
        label_en=label_en,
        sort_order=model.objects.count(),
    )


def test_menu_shows_pages_and_hides_restricted_and_unpublished(client, home_page, navigation):
    check_menu_privacy(client, home_page, navigation)


@pytest.mark.django_db(transaction=True)
def test_menu_privacy_holds_with_the_shared_fragment_cache(
    wagtail_roots, client, home_page, navigation
):
    # Committed data: menus are cached per audience (anonymous, each set of groups) and reused.
    from django.core.cache import cache

    cache.clear()
    check_menu_privacy(client, home_page, navigation)
    client.logout()
    menu = menu_html(client.get("/nl/"))
    assert "Ledenpagina" not in menu and "Werkgroep" not in menu


def check_menu_privacy(client, home_page, navigation):
    public = ContentPageFactory(parent=home_page, title="Nieuw hier?", slug="nieuw-hier")
    members = ContentPageFactory(parent=home_page, title="Ledenpagina", slug="leden")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    group_page = ContentPageFactory(parent=home_page, title="Werkgroep", slug="werkgroep")
    restriction = PageViewRestriction.objects.create(
        page=group_page, restriction_type=PageViewRestriction.GROUPS
    )
    werkgroep = Group.objects.create(name="Werkgroep")
    restriction.groups.add(werkgroep)
    draft = ContentPageFactory(parent=home_page, title="Concept", slug="concept", live=False)
    for page in (public, members, group_page, draft):
        add_item(navigation, page)

    menu = menu_html(client.get("/nl/"))
    assert 'href="/nl/nieuw-hier/"' in menu
    assert "Ledenpagina" not in menu and "Werkgroep" not in menu and "Concept" not in menu

    user = User.objects.create_user("lid", password="geheim-wachtwoord-1")
    client.force_login(user)
    menu = menu_html(client.get("/nl/"))
    assert "Ledenpagina" in menu and "Werkgroep" not in menu

    user.groups.add(werkgroep)
    menu = menu_html(client.get("/nl/"))
    assert "Werkgroep" in menu and "Concept" not in menu


def test_menu_marks_the_current_page(client, home_page, navigation):
    page = ContentPageFactory(parent=home_page, title="Over ons", slug="over-ons")
    add_item(navigation, page)
    menu = menu_html(client.get(page.url))
    assert 'href="/nl/over-ons/" aria-current="page"' in menu


def test_menu_in_english_links_to_translations_and_english_labels(
    client, home_page, english_home, navigation, locales
):
    _dutch, english = locales
    translated = ContentPageFactory(parent=home_page, title="Lid worden", slug="lid-worden")
    translated_en = translated.copy_for_translation(english)
    translated_en.title = "Become a member"
    translated_en.slug = "become-a-member"
    translated_en.save_revision().publish()
    untranslated = ContentPageFactory(parent=home_page, title="Alleen Nederlands", slug="nl-only")
    add_item(navigation, translated)
    add_item(navigation, untranslated)
    add_item(navigation, url="https://example.org/", label="Gemeente", label_en="City council")

    menu = menu_html(client.get("/en/"))
    assert '<a class="main-nav__link" href="/en/become-a-member/">Become a member</a>' in menu
    assert 'href="/nl/nl-only/"' in menu  # no translation: the Dutch page
    assert ">City council<" in menu
    dutch_menu = menu_html(client.get("/nl/"))
    assert ">Lid worden<" in dutch_menu and ">Gemeente<" in dutch_menu


def test_footer_shows_links_and_contact_details(client, home_page, navigation):
    from home.models import SiteSettings

    settings_object = SiteSettings.load()
    settings_object.contact_email = "info@stadsdorpen.example"
    settings_object.phone = "020 555 00 00"
    settings_object.mastodon_url = "https://mastodon.example/@stadsdorpen"
    settings_object.save()
    add_item(navigation, url="https://www.amsterdam.nl/", label="Gemeente", footer=True)
    html = client.get("/nl/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "mailto:info@stadsdorpen.example" in footer
    assert 'href="tel:0205550000"' in footer
    assert 'href="https://www.amsterdam.nl/" class="external-link">Gemeente<' in footer
    assert ">Mastodon<" in footer


def count_queries(client, url):
    client.get(url)
    client.get(url)  # the first request may start a new content generation (fragment cache)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), response


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "member"])
def test_menu_queries_do_not_grow_with_items(client, home_page, navigation, logged_in):
    if logged_in:  # members bypass the fragment cache: this checks the queries themselves
        client.force_login(User.objects.create_user("lid", password="geheim-wachtwoord-1"))
    pages = [
        ContentPageFactory(parent=home_page, title=f"Pagina {n}", slug=f"p-{n}") for n in range(30)
    ]
    for page in pages[:3]:
        add_item(navigation, page)
    few, _response = count_queries(client, "/nl/")
    for page in pages[3:]:
        add_item(navigation, page)
        add_item(navigation, page, footer=True)
    many, response = count_queries(client, "/nl/")
    assert menu_html(response).count("main-nav__link") == 30
    assert many == few


def test_menu_change_is_visible_at_once_despite_the_fragment_cache(client, home_page, navigation):
    page = ContentPageFactory(parent=home_page, title="Eerste", slug="eerste")
    add_item(navigation, page)
    assert "Eerste" in menu_html(client.get("/nl/"))
    page.title = "Hernoemd"
    page.save_revision().publish()
    assert "Hernoemd" in menu_html(client.get("/nl/"))
    page.unpublish()
    assert "Hernoemd" not in client.get("/nl/").content.decode()


def test_language_switcher_goes_to_the_translation(client, home_page, english_home, locales):
    _dutch, english = locales
    page = ContentPageFactory(parent=home_page, title="Over ons", slug="over-ons")
    page_en = page.copy_for_translation(english)
    page_en.slug = "about-us"
    page_en.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert 'href="/en/about-us/" lang="en" hreflang="en"' in html
    html = client.get(page_en.url).content.decode()
    assert 'href="/nl/over-ons/" lang="nl" hreflang="nl"' in html


def test_language_switcher_falls_back_to_the_home_page(client, home_page, english_home):
    page = ContentPageFactory(parent=home_page, title="Alleen NL", slug="alleen-nl")
    html = client.get(page.url).content.decode()
    assert 'href="/en/" lang="en" hreflang="en"' in html


def test_language_switcher_on_a_non_page_view_translates_the_url(rf, home_page):
    from django.template import Context, Template
    from django.utils import translation

    request = rf.get("/nl/login/")
    with translation.override("nl"):
        html = Template(
            "{% load navigation_tags %}{% language_url 'en' %} {% language_url 'nl' %}"
        ).render(Context({"request": request}))
    assert html == "/en/login/ /nl/login/"


def test_text_size_sets_a_cookie_and_goes_back(client, home_page):
    response = client.get("/tekstgrootte/", {"grootte": "groot", "next": "/nl/?a=1"})
    assert response.status_code == 302
    assert response["Location"] == "/nl/?a=1"
    assert response.cookies["tekstgrootte"].value == "groot"
    html = client.get("/nl/").content.decode()
    assert '<html lang="nl" class="text-size-groot">' in html
    assert (
        'value="groot" class="text-size__button text-size__button--groot" aria-pressed="true"'
        in html
    )


def test_text_size_works_with_post_too(client, home_page):
    response = client.post("/tekstgrootte/", {"grootte": "extra-groot", "next": "/nl/"})
    assert response.status_code == 302
    assert response.cookies["tekstgrootte"].value == "extra-groot"


def test_text_size_refuses_an_external_next_and_bad_sizes(client, home_page):
    response = client.get(
        "/tekstgrootte/", {"grootte": "reusachtig", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert "tekstgrootte" not in response.cookies
    response = client.get("/tekstgrootte/", {"grootte": "groot", "next": "//evil.example/"})
    assert response["Location"] == "/"
    client.cookies["tekstgrootte"] = "<script>"
    html = client.get("/nl/").content.decode()
    assert 'class="text-size-normaal"' in html
