"""sitemap.xml, robots.txt, the 404 page and the Open Graph metadata."""

import pytest

from django.contrib.auth.models import Group

from wagtail.models import PageViewRestriction

from home.factories import ContentPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home_page, english_home, locales):
    _dutch, english = locales
    public = ContentPageFactory(parent=home_page, title="Openbaar", slug="openbaar")
    login_only = ContentPageFactory(parent=home_page, title="Alleen leden", slug="alleen-leden")
    PageViewRestriction.objects.create(page=login_only, restriction_type=PageViewRestriction.LOGIN)
    group_only = ContentPageFactory(parent=home_page, title="Werkgroep", slug="werkgroep")
    restriction = PageViewRestriction.objects.create(
        page=group_only, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Werkgroep"))
    below_restricted = ContentPageFactory(parent=login_only, title="Verslag", slug="verslag")
    draft = ContentPageFactory(parent=home_page, title="Concept", slug="concept", live=False)
    public_en = public.copy_for_translation(english)
    public_en.slug = "public"
    public_en.save_revision().publish()
    return {
        "public": public,
        "public_en": public_en,
        "login_only": login_only,
        "group_only": group_only,
        "below_restricted": below_restricted,
        "draft": draft,
    }


def test_sitemap_lists_public_pages_in_both_languages(client, pages):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    xml = response.content.decode()
    assert "<loc>http://localhost/nl/</loc>" in xml
    assert "<loc>http://localhost/en/</loc>" in xml
    assert "/nl/openbaar/</loc>" in xml
    assert "/en/public/</loc>" in xml


def test_sitemap_leaves_out_restricted_and_unpublished_pages(client, pages):
    xml = client.get("/sitemap.xml").content.decode()
    for slug in ("alleen-leden", "werkgroep", "verslag", "concept"):
        assert f"/{slug}/" not in xml


def test_robots_txt_points_to_the_sitemap(client, home_page):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_unknown_url_gives_the_dutch_404_page(client, home_page):
    response = client.get("/nl/deze-pagina-bestaat-echt-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze pagina bestaat niet (meer)" in html
    assert 'class="site-header"' in html


def test_500_template_is_static():
    from django.template import engines

    template = engines["django"].get_template("500.html")
    html = template.render({})
    assert "Er ging iets mis" in html
    assert "{%" not in template.template.source


def test_open_graph_and_alternates(client, pages):
    page = pages["public"]
    page.search_description = "Alles over het netwerk."
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert '<link rel="canonical" href="http://localhost/nl/openbaar/">' in html
    assert '<meta property="og:title" content="Openbaar">' in html
    assert '<meta property="og:description" content="Alles over het netwerk.">' in html
    assert '<meta property="og:locale" content="nl_NL">' in html
    assert '<link rel="alternate" hreflang="en" href="http://localhost/en/public/">' in html
    assert '<link rel="alternate" hreflang="nl" href="http://localhost/nl/openbaar/">' in html


def test_open_graph_image_is_a_rendition(client, home_page):
    from wagtail.images import get_image_model

    Image = get_image_model()
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Deelbeeld", file=get_test_image_file(size=(1400, 900)))
    home_page.social_image = image
    home_page.save_revision().publish()
    html = client.get("/nl/").content.decode()
    assert '<meta property="og:image" content="http://testserver/media/images/' in html
    assert ".fill-1200x630" in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
