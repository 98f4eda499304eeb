"""Internal links in rich text print with their full address."""

import pytest

from django.template import Context, Template

from home.factories import ContentPageFactory

pytestmark = pytest.mark.django_db


def test_internal_link_carries_its_full_address_for_print(home_page):
    target = ContentPageFactory(parent=home_page, slug="flyer-maken", title="Flyer maken")
    rendered = Template("{% load wagtailcore_tags %}{{ value|richtext }}").render(
        Context({"value": f'<p>Zie <a linktype="page" id="{target.pk}">de flyer</a>.</p>'})
    )
    assert f'href="{target.url}"' in rendered
    assert f'data-print-href="{target.full_url}"' in rendered
    assert target.full_url.startswith("http")


def test_link_to_a_deleted_page_stays_harmless(home_page):
    rendered = Template("{% load wagtailcore_tags %}{{ value|richtext }}").render(
        Context({"value": '<p><a linktype="page" id="999999">weg</a></p>'})
    )
    assert "<a>weg</a>" in rendered
