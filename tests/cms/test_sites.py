"""The locales from each process's memory: what Wagtail's ``Locale.get_active()``,
``Locale.get_default()`` and a page's ``locale`` answer, read in one query per content generation
instead of one query each (the member home asked for all three)."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.models import Locale

from cms import sites

# The memory is bypassed inside a transaction (it could hold rows that are rolled back).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def locales():
    dutch = Locale.objects.get_or_create(language_code="nl")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    return dutch, english


def test_the_three_lookups_answer_as_wagtail_and_share_one_query(locales):
    dutch, english = locales
    with CaptureQueriesContext(connection) as first:
        with translation.override("en"):
            assert sites.active_locale() == english == Locale.get_active()
        assert sites.default_locale() == dutch == Locale.get_default()
        assert sites.locale_by_pk(english.pk) == english
    locale_queries = [q for q in first.captured_queries if "wagtailcore_locale" in q["sql"]]
    assert len(locale_queries) == 1 + 2  # ours, and Wagtail's own two for the comparison

    with CaptureQueriesContext(connection) as again:
        with translation.override("nl"):
            assert sites.active_locale() == dutch
        assert sites.default_locale() == dutch
        assert sites.locale_by_pk(dutch.pk) == dutch
    assert len(again) == 0


def test_an_unknown_language_or_locale(locales):
    dutch, _english = locales
    with translation.override("fr"):
        assert sites.active_locale() == dutch  # Wagtail falls back to the default too
    assert sites.locale_by_pk(999_999) is None


def test_a_new_locale_is_seen_after_the_generation_moves(locales, settings):
    assert sites.locale_by_pk(Locale.objects.order_by("-pk").first().pk + 1) is None
    german = Locale.objects.create(language_code="de")  # a write: a new content generation
    assert sites.locale_by_pk(german.pk) == german


def test_a_known_url_step_costs_no_query_and_each_request_gets_its_own_page(
    wagtail_roots, home_page
):
    from home.factories import ContentPageFactory

    page = ContentPageFactory(parent=home_page, slug="koffie", title="Koffie op dinsdag")
    first = sites.child_route(home_page, "koffie")
    first.marked_by_this_request = True
    with CaptureQueriesContext(connection) as queries:
        second = sites.child_route(home_page, "koffie")
    assert len(queries) == 0
    assert second is not first and second.pk == page.pk and type(second) is type(page)
    assert not hasattr(second, "marked_by_this_request")
    assert sites.child_route(home_page, "thee") is None

    page.title = "Koffie op woensdag"
    page.save_revision().publish()  # a write: a new content generation
    assert sites.child_route(home_page, "koffie").title == "Koffie op woensdag"
