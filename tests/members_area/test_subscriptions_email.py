"""The newsletter e-mail is accessible: language, alt texts, contrast, type size, headings, text."""

import re
from html.parser import HTMLParser
from io import BytesIO

import pytest
from PIL import Image as PILImage

from django.core.files.images import ImageFile

from wagtail.images import get_image_model

from members_area.subscriptions.composition import Composer, subscribers_for_rendering
from members_area.subscriptions.emails import COLOURS, CONTRAST_PAIRS, render_newsletter
from members_area.subscriptions.models import Subscriber

from . import test_subscriptions_fixtures as fixtures
from .conftest import add_news
from .test_subscriptions_fixtures import make_agenda_events, subscriber_of

globals().update(fixtures.FIXTURES)

pytestmark = pytest.mark.django_db


def relative_luminance(hex_colour):
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground, background):
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def png_image(title="Buurtfeest"):
    buffer = BytesIO()
    PILImage.new("RGB", (800, 500), (200, 120, 40)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(BytesIO(buffer.getvalue()), name="buurtfeest.png")
    )


@pytest.fixture
def rendered(world, make_issue):
    make_agenda_events(world.home, world)
    add_news(
        world.page_a,
        "Foto's van het buurtfeest",
        image=png_image(),
        image_description="Buren aan een lange tafel op straat",
    )
    issue = make_issue(title="Nieuwsbrief met foto")

    def render(user=None, language="nl"):
        subscriber = subscriber_of(user or world.users["member_a"])
        subscriber.language = language
        subscriber.save()
        subscriber = subscribers_for_rendering(Subscriber.objects.filter(pk=subscriber.pk)).get()
        _subject, text, html, _links = render_newsletter(issue, subscriber, Composer(issue))
        return text, html

    return render


def test_template_colours_have_enough_contrast():
    for foreground, background in CONTRAST_PAIRS:
        ratio = contrast(COLOURS[foreground], COLOURS[background])
        assert ratio >= 4.5, f"{foreground} on {background}: {ratio:.2f}"


def test_html_uses_only_the_checked_colours_and_large_type(rendered):
    _text, html = rendered()
    used = {value.lower() for value in re.findall(r"#[0-9a-fA-F]{6}\b", html)}
    assert used <= {value.lower() for value in COLOURS.values()}
    sizes = [int(size) for size in re.findall(r"font-size:\s*(\d+)px", html)]
    assert sizes and min(sizes) >= 18


def test_language_alt_texts_headings_and_links(rendered):
    _text, html = rendered()
    parser = Collector()
    parser.feed(html)
    html_tag = next(attrs for tag, attrs in parser.tags if tag == "html")
    assert html_tag["lang"] == "nl"
    images = [attrs for tag, attrs in parser.tags if tag == "img"]
    assert images, "the test news item has a photo"
    for attrs in images:
        assert "alt" in attrs
        assert attrs["src"].startswith("http://testserver/")
    assert any(attrs["alt"] == "Buren aan een lange tafel op straat" for attrs in images)
    headings = [int(tag[1]) for tag, _attrs in parser.tags if re.fullmatch(r"h[1-6]", tag)]
    assert headings[0] == 1 and headings.count(1) == 1
    for previous, current in zip(headings, headings[1:], strict=False):
        assert current <= previous + 1, headings  # no skipped levels
    links = [attrs["href"] for tag, attrs in parser.tags if tag == "a"]
    assert links and all(href.startswith("http://testserver/") for href in links)


def test_english_issue_is_english_throughout(world, make_issue, locales):
    _dutch, english = locales
    issue = make_issue(title="Nieuwsbrief")
    translated = issue.copy_for_translation(english, copy_parents=True)
    translated.title = "Newsletter"
    translated.save_revision().publish()
    subscriber = subscriber_of(world.users["member_a"])
    subscriber.language = "en"
    subscriber.save()
    subscriber = subscribers_for_rendering(Subscriber.objects.filter(pk=subscriber.pk)).get()
    _subject, _text, html, _links = render_newsletter(translated, subscriber, Composer(translated))
    assert '<html lang="en">' in html
    assert "Unsubscribe from this newsletter" in html
    assert "/en/nieuwsbrief/afmelden/" in html


def test_reader_of_an_untranslated_language_gets_one_language(rendered):
    _text, html = rendered(language="en")  # the issue exists in Dutch only
    assert '<html lang="nl">' in html
    assert "Afmelden voor deze nieuwsbrief" in html


def test_plain_text_alternative_has_the_same_content(rendered):
    text, html = rendered()
    assert "Foto's van het buurtfeest" in text
    assert "<" not in text.replace("<http", "")
    assert "http://testserver/nl/nieuwsbrief/afmelden/" in text
    assert "Foto&#x27;s van het buurtfeest" in html or "Foto's van het buurtfeest" in html
