"""Every home page type renders, in Dutch and in English, and the directory filter works."""

import re

import pytest

from home import listings
from home.factories import ContentPageFactory, StadsdorpPageFactory

pytestmark = pytest.mark.django_db


def test_home_page_renders_with_call_to_action(client, home_page, content_page):
    home_page.cta_page = content_page
    home_page.cta_link_text = "Lees hoe het werkt"
    home_page.save_revision().publish()
    response = client.get("/nl/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and home_page.title in html
    assert "Start een stadsdorp" in html
    assert f'href="{content_page.url}"' in html
    assert "Lees hoe het werkt" in html


def test_home_page_renders_in_english(client, english_home):
    response = client.get("/en/")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    assert "Network of Stadsdorpen" in response.content.decode()


def test_home_page_shows_the_listings_the_apps_register(client, home_page):
    html = client.get("/nl/").content.decode()
    assert "home-kennisbank-title" in html
    assert "home-events-title" in html
    assert html.index("home-kennisbank-title") < html.index("home-events-title")


def test_a_registered_listing_renders_its_template_with_its_items(client, home_page, monkeypatch):
    calls = []

    def items(user, locale, limit):
        calls.append((user.is_authenticated, locale.language_code, limit))
        return []

    monkeypatch.setattr(listings, "_listings", dict(listings._listings))
    listings.register(
        listings.HomeListing(
            name="extra", template="kennisbank/includes/home_listing.html", items=items, order=99
        )
    )
    html = client.get("/nl/").content.decode()
    assert calls == [(False, "nl", listings.HOME_PAGE_LIMIT)]
    # The kennisbank's own section first, then the extra one at the end, with its empty text.
    assert html.count('id="home-kennisbank-title"') == 2
    assert html.rindex("home-kennisbank-title") > html.index("home-events-title")
    assert "Er staan nog geen artikelen in de kennisbank." in html


def test_content_page_renders_every_block(client, home_page):
    from django.core.files.base import ContentFile

    from wagtail.documents.models import Document
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed
    from wagtail.images import get_image_model

    Image = get_image_model()
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Buurt", file=get_test_image_file())
    document = Document(title="Checklist")
    document.file.save("checklist.txt", ContentFile(b"stap 1"), save=False)
    document.save()
    url = "https://www.youtube.com/watch?v=test"
    Embed.objects.create(
        url=url, hash=get_embed_hash(url), type="video", html='<iframe title="x"></iframe>'
    )
    page = ContentPageFactory(
        parent=home_page,
        slug="alles",
        body=[],
    )
    page.body = [
        {
            "type": "heading",
            "value": {"text": "Wat is een stadsdorp?", "level": "h2", "anchor": ""},
        },
        {"type": "paragraph", "value": {"text": "<p>Buren helpen elkaar.</p>"}},
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": "Een straat", "caption": "Oost"},
        },
        {"type": "quote", "value": {"quote": "Fijn!", "attribution": "Els"}},
        {
            "type": "call_to_action",
            "value": {
                "title": "Doe mee",
                "text": "",
                "link_text": "Word lid",
                "page": home_page.pk,
                "url": "",
            },
        },
        {
            "type": "faq",
            "value": {
                "title": "Vragen",
                "items": [{"question": "Kost het geld?", "answer": "<p>Soms.</p>"}],
            },
        },
        {"type": "document", "value": {"document": document.pk, "title": "", "description": ""}},
        {"type": "embed", "value": {"embed": url, "title": "Video", "transcript": "Tekst"}},
    ]
    page.save_revision().publish()
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="wat-is-een-stadsdorp" class="block-heading">' in html
    assert 'alt="Een straat"' in html and "<figcaption>Oost</figcaption>" in html
    assert "<blockquote>" in html
    assert "<details" in html and "<summary" in html and "Kost het geld?" in html
    assert "Checklist" in html and "(TXT" in html
    assert '<iframe title="x">' in html
    assert "Word lid" in html


def test_image_block_requires_alt_text():
    from django.core.exceptions import ValidationError

    from home.blocks import ImageBlock

    block = ImageBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": None, "alt_text": "", "caption": ""}))


def test_directory_lists_stadsdorpen(client, directory):
    response = client.get(directory.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stadsdorp Cultuurrijk" in html and "Stadsdorp Groenoord" in html


def test_directory_filters_by_theme(client, directory):
    response = client.get(directory.url, {"thema": "cultuur"})
    html = response.content.decode()
    assert "Stadsdorp Cultuurrijk" in html
    assert "Stadsdorp Groenoord" not in html
    assert "1 stadsdorp met het thema" in html
    assert '<option value="cultuur" selected>' in html


def test_directory_unknown_theme_shows_everything_with_a_message(client, directory):
    response = client.get(directory.url, {"thema": "<script>bestaat-niet"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dat thema kennen we niet" in html
    assert "Stadsdorp Cultuurrijk" in html and "Stadsdorp Groenoord" in html
    assert "<script>bestaat-niet" not in html


def test_directory_queries_do_not_grow(client, directory, themes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(directory.url)  # warm caches (site root paths, settings, fragments)
    client.get(directory.url)
    with CaptureQueriesContext(connection) as few:
        client.get(directory.url)
    for _ in range(10):
        StadsdorpPageFactory(parent=directory, themes=[themes["cultuur"], themes["groen"]])
    client.get(directory.url)
    with CaptureQueriesContext(connection) as many:
        response = client.get(directory.url)
    assert response.content.decode().count('class="card"') == 12
    assert len(many) == len(few)


def test_english_directory_filters_untranslated_stadsdorpen_by_english_theme(
    client, directory, english_home, locales
):
    _dutch, english = locales
    directory_en = directory.copy_for_translation(english)
    directory_en.save_revision().publish()
    for stadsdorp in directory.get_children().specific():
        stadsdorp.copy_for_translation(english, alias=True)
    response = client.get(directory_en.url, {"thema": "culture"})
    html = response.content.decode()
    assert "Stadsdorp Cultuurrijk" in html
    assert "Stadsdorp Groenoord" not in html
    assert 'class="tag">Culture<' in html


def test_stadsdorp_page_shows_contact_and_location(client, directory):
    stadsdorp = directory.get_children().specific().first()
    stadsdorp.latitude = "52.360000"
    stadsdorp.longitude = "4.920000"
    stadsdorp.contact_phone = "020 123 45 67"
    stadsdorp.save_revision().publish()
    response = client.get(stadsdorp.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:0201234567"' in html
    assert "openstreetmap.org/?mlat=52.360000&amp;mlon=4.920000" in html
    assert "Alle stadsdorpen" in html


def test_unpublished_stadsdorp_is_not_listed(client, directory):
    stadsdorp = directory.get_children().first()
    stadsdorp.unpublish()
    response = client.get(directory.url)
    assert stadsdorp.title not in response.content.decode()


def test_an_untranslated_page_under_en_says_so_and_is_not_offered_as_english(
    client, directory, english_home, locales
):
    """A Dutch page that was only synchronised to English (an alias) shows its Dutch text marked
    as Dutch, with an English notice; search engines get the Dutch original instead."""
    _dutch, english = locales
    stadsdorp = directory.get_children().specific().first()
    directory_en = directory.copy_for_translation(english)
    directory_en.save_revision().publish()
    alias = stadsdorp.copy_for_translation(english, alias=True)

    html = client.get(alias.url).content.decode()

    assert '<html lang="en"' in html
    assert re.search(r'<main id="main"[^>]* lang="nl"', html)
    assert "This page has not been translated yet" in html
    assert '<meta name="robots" content="noindex">' in html
    assert f'<link rel="canonical" href="{stadsdorp.full_url}">' in html
    assert '<link rel="alternate" hreflang="en"' not in html
    dutch_html = client.get(stadsdorp.url).content.decode()
    assert (
        '<link rel="alternate" hreflang="en"' not in dutch_html
        and "not been translated" not in dutch_html
    )
    sitemap = client.get("/sitemap.xml").content.decode()
    assert stadsdorp.full_url in sitemap and alias.full_url not in sitemap
