"""Images are served as responsive renditions: WebP first, JPEG as fallback, several widths."""

import io
import json
import re

import pytest
import redis
from PIL import Image as PILImage

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from cms import page_cache
from cms.settings.base import CACHES
from home.factories import ContentPageFactory

Image = get_image_model()

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo():
    return Image.objects.create(title="Buurtfeest", file=get_test_image_file(size=(1600, 1000)))


def picture_in(html):
    match = re.search(r"<picture>(.*?)</picture>", html, re.S)
    assert match, "no <picture> element on the page"
    return match.group(1)


def test_an_image_block_offers_webp_in_three_widths_with_a_jpeg_fallback(client, home_page, photo):
    page = ContentPageFactory(parent=home_page, title="Met foto", slug="met-foto", body=None)
    page.body = json.dumps(
        [
            {
                "type": "image",
                "value": {
                    "image": photo.pk,
                    "alt_text": "Buren aan een lange tafel",
                    "caption": "",
                },
            }
        ]
    )
    page.save_revision().publish()

    picture = picture_in(client.get(page.url).content.decode())

    source = re.search(r'<source sizes="[^"]+" srcset="([^"]+)" type="image/webp">', picture)
    assert source, picture
    assert [entry.split()[1] for entry in source.group(1).split(", ")] == ["400w", "800w", "1200w"]
    image_tag = re.search(r"<img [^>]+>", picture).group(0)
    assert 'alt="Buren aan een lange tafel"' in image_tag
    assert 'loading="lazy"' in image_tag
    assert 'width="400"' in image_tag and 'height="250"' in image_tag  # no layout shift
    assert ".jpg 1200w" in image_tag

    # The files really are in the formats the page announces.
    webp_rendition = photo.renditions.get(filter_spec="format-webp|width-800")
    with webp_rendition.file.open("rb") as handle:
        decoded = PILImage.open(io.BytesIO(handle.read()))
        assert (decoded.format, decoded.width) == ("WEBP", 800)
    jpeg_rendition = photo.renditions.get(filter_spec="format-jpeg|width-400")
    with jpeg_rendition.file.open("rb") as handle:
        assert PILImage.open(io.BytesIO(handle.read())).format == "JPEG"
    assert webp_rendition.file.size < photo.file.size


def commands(raw):
    """The commands the Redis server has answered, by name (INFO itself left out)."""
    stats = raw.info("commandstats")
    return {name: stat["calls"] for name, stat in stats.items() if name != "cmdstat_info"}


@pytest.mark.django_db(transaction=True)
def test_renditions_come_from_the_process_memory_until_the_content_changes(
    wagtail_roots, photo, redis_cache, settings, django_assert_num_queries
):
    """Wagtail's renditions cache is each process's memory for the content generation
    (``cms.page_cache.GenerationMemoryCache``): with Redis for everything else, a picture shown
    once costs no query and no round trip to Redis; a write to the image empties it (outside a
    transaction: inside one nothing is kept)."""
    settings.CACHES = {**settings.CACHES, "renditions": CACHES["renditions"]}
    raw = redis.Redis(port=redis_cache.port)
    specs = ("format-webp|width-400", "format-jpeg|width-800")
    made = {r.filter_spec: r.url for r in photo.get_renditions(*specs).values()}
    photo = Image.objects.get(pk=photo.pk)
    page_cache.generation()
    before = commands(raw)
    with django_assert_num_queries(0):
        found = {r.filter_spec: r.url for r in photo.get_renditions(*specs).values()}
    assert found == made
    assert commands(raw) == before
    # A write to the image starts a new generation: its renditions are read again.
    photo.title = "Buurtfeest 2"
    photo.save()
    photo = Image.objects.get(pk=photo.pk)
    with django_assert_num_queries(1):
        assert {r.filter_spec: r.url for r in photo.get_renditions(*specs).values()} == made
