"""The agenda in Chromium on the demo site: list, filter, month calendar, an event, the .ics
download, the print view and axe-core on each. Read-only: changes nothing shared."""

import re

import pytest
from playwright.sync_api import expect


@pytest.fixture(autouse=True)
def demo_database(db):
    """The session's shared demo site (tests/browser/conftest.py); no ``django_db`` mark."""


@pytest.fixture
def base_url(live_server):
    return live_server.url


def test_agenda_list_filter_and_month_view(page, base_url, assert_accessible):
    page.goto(f"{base_url}/nl/agenda/")
    expect(page.locator("h1")).to_have_text("Agenda")
    items = page.locator(".event-list > li")
    expect(items.first).to_be_visible()
    assert items.count() >= 8
    cancelled = page.locator(".event-item--cancelled").first
    expect(cancelled.locator(".badge--cancelled")).to_have_text("Geannuleerd")
    expect(page.get_by_role("link", name="Algemene ledenvergadering")).to_have_count(0)
    assert_accessible(page, "agenda list")

    page.get_by_label("Soort activiteit").select_option(label="Lezing")
    page.get_by_role("button", name="Toon activiteiten").click()
    expect(page).to_have_url(re.compile(r"categorie=lezing"))
    titles = page.locator(".event-item__title")
    expect(titles.first).to_contain_text("Lezing")
    assert all(text.startswith("Lezing") for text in titles.all_inner_texts())
    expect(page.get_by_role("link", name=re.compile("iCal-feed van alleen Lezing"))).to_be_visible()

    page.get_by_role("link", name="Maandkalender").click()
    expect(page).to_have_url(re.compile(r"/nl/agenda/maand/\?categorie=lezing"))
    table = page.get_by_role("table")
    expect(table.locator("thead th")).to_have_count(7)
    expect(table.locator("caption")).to_have_text(re.compile(r"\w+ \d{4}"))
    assert_accessible(page, "agenda month")
    page.get_by_role("link", name=re.compile("volgende maand")).click()
    expect(page).to_have_url(re.compile(r"maand=\d{4}-\d{2}"))
    expect(page.get_by_role("table")).to_be_visible()


def test_bad_month_in_url_gives_a_normal_page(page, base_url):
    response = page.goto(f"{base_url}/nl/agenda/maand/?maand=2026-13")
    assert response.status == 200
    expect(page.get_by_role("status")).to_contain_text("geen geldige maand")
    expect(page.get_by_role("table")).to_be_visible()


def test_event_page_and_ics_download(page, base_url, assert_accessible):
    page.goto(f"{base_url}/nl/agenda/")
    page.get_by_role("link", name="Koffieochtend in het buurthuis").first.click()
    expect(page.locator("h1")).to_have_text("Koffieochtend in het buurthuis")
    expect(page.locator(".event-facts")).to_contain_text("Eens in de twee weken op dinsdag")
    expect(page.locator(".event-facts")).to_contain_text("Buurthuis De Ringdijk")
    expect(page.locator(".event-facts")).to_contain_text("Ja, rolstoeltoegankelijk")
    next_dates = page.locator("section", has=page.get_by_role("heading", name="De volgende keren"))
    expect(next_dates.locator(".badge--cancelled").first).to_have_text("Geannuleerd")
    expect(next_dates.locator(".badge--moved").first).to_have_text("Verplaatst")
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert_accessible(page, "event page")

    link = page.get_by_role("link", name="Zet in mijn agenda (.ics-bestand)")
    with page.expect_download() as download_info:
        link.click()
    assert download_info.value.suggested_filename == "koffieochtend.ics"
    response = page.request.get(base_url + link.get_attribute("href"))
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.text()
    assert body.startswith("BEGIN:VCALENDAR")
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2" in body
    assert (
        "EXDATE;TZID=Europe/Amsterdam:" in body and "RECURRENCE-ID;TZID=Europe/Amsterdam:" in body
    )


def test_members_event_is_not_shown_to_anonymous(page, base_url):
    page.goto(f"{base_url}/nl/agenda/ledenvergadering/")
    expect(page.locator("h1")).not_to_have_text("Algemene ledenvergadering")
    response = page.request.get(f"{base_url}/nl/agenda/ledenvergadering/ical/", max_redirects=0)
    assert response.status == 302
    feed = page.request.get(f"{base_url}/nl/agenda/ical/").text()
    assert "Ledenvergadering" not in feed and "Koffieochtend" in feed


def test_print_agenda(page, base_url, assert_accessible):
    page.goto(f"{base_url}/nl/agenda/")
    page.get_by_role("link", name="Afdrukken").click()
    expect(page.locator("h1")).to_contain_text("de komende 4 weken")
    expect(page.locator(".print-table tbody tr").first).to_be_visible()
    assert_accessible(page, "print agenda")
    page.emulate_media(media="print")
    expect(page.locator(".agenda-nav")).to_be_hidden()
    expect(page.locator(".print-table")).to_be_visible()
