"""Images are served as responsive renditions: WebP first, JPEG as fallback, several widths."""

import io
import json
import re

import pytest
from PIL import Image as PILImage

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

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
