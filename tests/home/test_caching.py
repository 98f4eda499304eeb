"""The fragment cache: used outside transactions, bypassed inside them."""

import pytest

from home import caching


@pytest.mark.django_db(transaction=True)
def test_fragments_are_cached_per_content_generation():
    from django.core.cache import cache

    from cms.page_cache import invalidate_all

    cache.clear()
    calls = []

    def build():
        calls.append(1)
        return f"waarde {len(calls)}"

    assert caching.cached(("test",), build) == "waarde 1"
    assert caching.cached(("test",), build) == "waarde 1"
    invalidate_all()  # what every content write does
    assert caching.cached(("test",), build) == "waarde 2"


@pytest.mark.django_db
def test_fragments_are_not_cached_inside_a_transaction():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert caching.cached(("test-atomic",), build) == 1
    assert caching.cached(("test-atomic",), build) == 2
