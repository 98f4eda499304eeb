"""The kennisbank in Chromium on the demo site: index, guide with table of contents, print,
the helpful vote, the glossary, English, and axe-core on every page type.

The demo content is loaded once per session (``demo_site`` in tests/browser/conftest.py); the only
thing these tests add is a helpful vote.
"""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader


@pytest.fixture(autouse=True)
def demo_database(db):
    """The session's shared demo site (tests/browser/conftest.py). No ``django_db`` mark: that
    mark makes pytest-django flush the database after each test, wiping the demo content."""


GUIDE = "/nl/kennisbank/een-stadsdorp-starten/"


@pytest.fixture
def base_url(live_server):
    return live_server.url


def test_index_lists_featured_latest_and_themes(page, base_url, assert_accessible):
    page.goto(f"{base_url}/nl/kennisbank/")
    expect(page.locator("h1")).to_have_text("Kennisbank")
    expect(
        page.get_by_label("Zoek in verslagen, stappenplannen, publicaties en artikelen")
    ).to_be_visible()
    featured = page.locator("section", has=page.get_by_role("heading", name="Uitgelicht"))
    expect(featured.get_by_role("link", name="Een stadsdorp starten")).to_be_visible()
    themes = page.locator("section", has=page.get_by_role("heading", name="Bekijk per thema"))
    # Only the 4 demo themes that have items are listed, each as a link (14 themes exist).
    expect(themes.locator("li")).to_have_count(4)
    expect(themes.locator("li a")).to_have_count(4)
    expect(themes).not_to_contain_text("nog niets")
    expect(themes.get_by_role("link", name="Ontmoeting")).to_have_attribute(
        "href", "/nl/kennisbank/?theme=ontmoeting"
    )
    expect(page.locator('link[rel="alternate"][type="application/rss+xml"]')).to_have_attribute(
        "href", "/nl/kennisbank/feed/rss/"
    )
    assert_accessible(page, "kennisbank index")

    featured.get_by_role("link", name="Een stadsdorp starten").click()
    expect(page).to_have_url(f"{base_url}{GUIDE}")


def test_guide_table_of_contents_anchor(page, base_url, assert_accessible):
    page.goto(f"{base_url}{GUIDE}")
    expect(page.locator("h1")).to_have_text("Een stadsdorp starten")
    toc = page.get_by_role("navigation", name="Inhoud")
    expect(toc.get_by_role("link")).to_have_count(11)  # 2 phases, 8 steps, preconditions
    toc.get_by_role("link", name="Stap 4: Maak een flyer en verspreid hem").click()
    expect(page).to_have_url(re.compile(r"#stap-4-maak-een-flyer"))
    step = page.locator("#stap-4-maak-een-flyer-en-verspreid-hem")
    expect(
        step.get_by_role("heading", name=re.compile(r"^Stap 4\W+Maak een flyer en verspreid hem$"))
    ).to_be_in_viewport()
    expect(step.get_by_role("link", name=re.compile("Sjabloon voor de flyer"))).to_have_attribute(
        "href", re.compile(r"/documents/.+\.docx$")
    )
    assert_accessible(page, "stappenplan")


def test_guide_prints_without_navigation(page, base_url, assert_accessible):
    page.goto(f"{base_url}{GUIDE}")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Inhoud")).to_be_hidden()
    expect(page.locator(".kb-helpful")).to_be_hidden()
    expect(page.locator(".site-header nav").first).to_be_hidden()
    expect(
        page.get_by_role("heading", name=re.compile(r"^Stap 1\W+Zoek een paar medestanders$"))
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile(r"^Stap 8\W+Begin met binnenbuurten$"))
    ).to_be_visible()

    page.emulate_media(media="screen")
    page.get_by_role("link", name="Printversie (voor de eerste bijeenkomst)").click()
    expect(page).to_have_url(f"{base_url}{GUIDE}?print=1")
    expect(page.locator(".kb-steps .kb-step")).to_have_count(8)
    expect(page.locator(".site-header")).to_have_count(0)
    assert_accessible(page, "printversie stappenplan")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Printversie")).to_be_hidden()
    expect(page.get_by_role("heading", name="Randvoorwaarden")).to_be_visible()
    # Large print, as the guide itself advises: body text at least 12 pt (16 px).
    body_text = page.locator(".kb-step p").first.evaluate("e => getComputedStyle(e).fontSize")
    assert float(body_text.removesuffix("px")) >= 16
    pdf = page.pdf(format="A4")
    # The guide is taken to a first meeting: two sheets of A4, printed on both sides.
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 4


def test_helpful_vote_counts_and_thanks(page, base_url):
    from kennisbank.models import HelpfulVote, KennisbankItemPage

    article = KennisbankItemPage.objects.get(slug="tien-tips-voor-buurtprofessionals")
    before = HelpfulVote.objects.filter(page=article).count()
    page.goto(f"{base_url}/nl/kennisbank/tien-tips-voor-buurtprofessionals/")
    expect(page.get_by_role("heading", name=re.compile(r"^Tip 1\W+Wees aanwezig$"))).to_be_visible()
    page.get_by_role("button", name="Ja, nuttig").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("Bedankt voor uw reactie"))
    expect(page.get_by_role("button", name="Ja, nuttig")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("status")).to_be_visible()
    assert HelpfulVote.objects.filter(page=article).count() == before + 1


def test_every_item_type_and_glossary_is_accessible(page, base_url, assert_accessible):
    for path, heading in (
        (
            "netwerkbijeenkomst-juni-2014-binnenbuurten",
            "Netwerkbijeenkomst juni 2014: binnenbuurten",
        ),
        ("stadsdorpen-in-beeld", "Stadsdorpen in beeld: onderzoek onder 36 stadsdorpen"),
        ("tien-tips-voor-buurtprofessionals", "Tien tips voor buurtprofessionals"),
    ):
        page.goto(f"{base_url}/nl/kennisbank/{path}/")
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.get_by_role("heading", name="Gerelateerd")).to_be_visible()
        assert_accessible(page, path)

    page.goto(f"{base_url}/nl/kennisbank/")
    page.get_by_role("link", name="Bekijk de Begrippenlijst").click()
    expect(page.locator("h1")).to_have_text("Begrippenlijst")
    letters = page.get_by_role("navigation", name="Begrippen per letter")
    letters.get_by_role("link", name="K", exact=True).click()
    expect(page).to_have_url(re.compile("#letter-K$"))
    expect(page.locator("#begrip-kartrekker dt")).to_have_text("Kartrekker")
    expect(
        page.locator("#begrip-kartrekker").get_by_role("link", name="Initiatiefgroep")
    ).to_be_visible()
    assert_accessible(page, "begrippenlijst")


def test_english_guide(page, base_url, assert_accessible):
    page.goto(f"{base_url}/en/kennisbank/")
    expect(page.locator("h1")).to_have_text("Knowledge base")
    page.get_by_role("link", name="Starting a stadsdorp").first.click()
    expect(page.locator("h1")).to_have_text("Starting a stadsdorp")
    expect(page.get_by_role("navigation", name="Contents")).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile(r"^Step 1\W+Find a few allies$"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Yes, helpful")).to_be_visible()
    assert_accessible(page, "English guide")
