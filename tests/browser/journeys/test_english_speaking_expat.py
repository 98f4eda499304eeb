"""An expat who reads English: switches the site to English, reads what is on in the agenda, logs
in from the English site and lands on the English member home."""

import re

from playwright.sync_api import expect

from tests.browser.journeys.conftest import log_in


def test_expat_reads_events_in_english_and_logs_in_from_en(journey, live_server, new_member):
    email = new_member(first_name="Sam")
    walk = journey("English-speaking expat", locale="en-GB")
    page = walk.page

    page.goto(f"{live_server.url}/nl/")
    walk.step("home (Dutch)")
    walk.click(page.get_by_role("navigation", name="Taal").get_by_role("link", name="English"))
    walk.step("home (English)")
    expect(page).to_have_url(f"{live_server.url}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Network of Stadsdorpen")

    walk.click(page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Events"))
    walk.step("events")
    expect(page).to_have_url(f"{live_server.url}/en/events/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")
    expect(
        page.get_by_text("Activities without an English description are shown in Dutch.")
    ).to_be_visible()
    walk.select(page.get_by_label("Kind of activity"), "Lecture")
    walk.click(page.get_by_role("button", name="Show activities"))
    walk.step("lectures")
    items = page.locator(".event-item")
    expect(items.first).to_be_visible()
    for item in items.all():
        # The kind is English; a Dutch title says so, and is marked Dutch for screen readers.
        expect(item).to_contain_text("Lecture")
    expect(page.locator(".event-item [lang=nl]").first).to_be_attached()
    expect(page.get_by_text("(in Dutch)").first).to_be_visible()

    walk.click(
        page.get_by_role("banner").get_by_role("link", name=re.compile("^(Log in|My stadsdorp)$"))
    )
    walk.step("login (English)")
    expect(page).to_have_url(re.compile(r"/en/login/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Members log in")
    log_in(walk, email, english=True)

    walk.step("member home (English)")
    expect(page).to_have_url(re.compile(r"/en/my-stadsdorp/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Your binnenbuurt: Zonnehof")).to_be_visible()
    expect(page.get_by_role("button", name="Log out").first).to_be_visible()
