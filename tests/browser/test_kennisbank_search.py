"""The kennisbank search in a real browser, on the demo content: search, facets, sort, did you
mean, open a result, and axe-core on the results and no-results pages."""

import re

import pytest
from playwright.sync_api import expect

from django.core.management import call_command

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from kennisbank.models import KennisbankItemPage


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)
    from kennisbank.models import KennisbankIndexPage

    return KennisbankIndexPage.objects.get(locale__language_code="nl")


def test_search_filter_sort_correct_and_open_a_result(demo, live_server, page, assert_accessible):
    page.goto(live_server.url + demo.url)
    # The index page's own search box (the header has a site-wide one too).
    page.get_by_label("Zoek in verslagen, stappenplannen, publicaties en artikelen").fill(
        "binnenbuurten"
    )
    page.get_by_label("Zoek in verslagen, stappenplannen, publicaties en artikelen").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("binnenbuurten")
    results = page.locator(".kb-result")
    expect(results.first).to_be_visible()
    expect(page.locator(".kb-result mark").first).to_be_visible()
    expect(page.locator(".kb-result mark").first).to_have_text(re.compile("binnenbuurt", re.I))
    total_before = results.count()
    assert total_before >= 2
    expect(page.get_by_role("status")).to_contain_text("resultat")
    assert_accessible(page, "results page")

    # Two facets from different groups combine (AND); the form works without JavaScript.
    type_box = page.locator("fieldset.kb-facet").filter(has_text="Soort").locator("input").first
    type_value = type_box.get_attribute("value")
    type_box.check()
    theme_box = page.locator("fieldset.kb-facet").filter(has_text="Thema").locator("input").first
    theme_box.check()
    page.get_by_role("button", name="Filters toepassen").click()
    expect(page).to_have_url(re.compile(rf"type={type_value}"))
    expect(page).to_have_url(re.compile(r"theme="))
    expect(page.locator(f'input[name="type"][value="{type_value}"]')).to_be_checked()
    expect(page.locator(".kb-search__active")).to_contain_text("weghalen")
    assert results.count() <= total_before

    # Remove the filters again, then sort by date.
    page.get_by_role("link", name="Alle filters weghalen").click()
    expect(page.locator(".kb-search__active")).to_have_count(0)
    page.get_by_role("link", name="nieuwste eerst").click()
    expect(page).to_have_url(re.compile(r"sort=date"))
    dates = page.locator(".kb-result time").evaluate_all(
        "nodes => nodes.map(node => node.getAttribute('datetime'))"
    )
    assert dates == sorted(dates, reverse=True)

    # A misspelling is searched corrected, and the page says so with a way back to the original.
    search_box = page.get_by_label("Zoek in de kennisbank", exact=True)
    expect(search_box).to_have_value("binnenbuurten")
    search_box.fill("stadsdrop")
    page.locator(".kb-search__box").get_by_role("button", name="Zoeken").click()
    expect(page.locator(".kb-search__corrected")).to_contain_text("Resultaten voor stadsdorp.")
    expect(results.first).to_be_visible()
    assert_accessible(page, "corrected results page")
    page.locator(".kb-search__corrected").get_by_role("link", name="stadsdrop").click()
    expect(page).to_have_url(re.compile(r"exact=1"))
    expect(page.get_by_role("status")).to_have_text("Geen resultaten gevonden.")
    expect(page.locator(".kb-search__empty")).to_contain_text("Niets gevonden?")
    expect(page.locator(".kb-search__themes a").first).to_be_visible()
    assert_accessible(page, "no-results page")

    # All words together find nothing: the items with most of them, labelled.
    search_box.fill("binnenbuurt paddenstoelenpluk")
    page.locator(".kb-search__box").get_by_role("button", name="Zoeken").click()
    expect(page.locator(".kb-search__partial")).to_contain_text("1 van de 2 woorden")
    expect(page.locator(".kb-result__missing").first).to_contain_text("paddenstoelenpluk")
    assert_accessible(page, "some-words results page")

    # Search as you type (progressive enhancement): results follow the box without submitting.
    search_box.fill("flyer")
    expect(page).to_have_url(re.compile(r"q=flyer"))
    expect(page.locator(".kb-result mark").first).to_have_text(re.compile("flyer", re.I))
    expect(page.get_by_role("status")).to_contain_text("resulta")

    # Open the first result.
    first_link = page.locator(".kb-result__title a").first
    title = first_link.inner_text()
    first_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_editors_pick_above_the_results_on_a_phone(demo, live_server, page, assert_accessible):
    guide = KennisbankItemPage.objects.get(slug="een-stadsdorp-starten", locale=demo.locale)
    pick_query, _ = Query.objects.get_or_create(query_string="beginnen met een stadsdorp")
    SearchPromotion.objects.get_or_create(
        query=pick_query, page=guide, defaults={"description": "Het stappenplan, stap voor stap."}
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + demo.url + "?q=Beginnen+met+een+stadsdorp")
    picks = page.locator(".kb-promotions")
    expect(picks).to_contain_text("Aanbevolen door de redactie")
    expect(picks.get_by_role("link", name=guide.title)).to_be_visible()
    # Above the results, and nothing wider than the phone.
    assert picks.bounding_box()["y"] < page.locator(".kb-result").first.bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "results page with an editors' pick, 390 px")
    picks.get_by_role("link", name=guide.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(guide.title)
