"""Every page type (tests/browser/page_types.py) on a 390 x 844 phone, as a visitor, a member and a
contact person: the page heading starts within the first 400 px and nothing scrolls sideways, also
at "Extra groot"; the folded menu opens with the keyboard and without JavaScript.

Found in Chromium before the fix: the header filled the first screen (headings at 640-700 px) and
28 of 52 pages were up to 630 px wide (label/value lists, long URLs, long words in headings).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.page_types import (
    ANONYMOUS_DUTCH,
    ANONYMOUS_ENGLISH,
    CONTACT_PERSON,
    MEMBER,
    log_in_member,
    resolve,
)

PHONE = {"width": 390, "height": 844}

PEOPLE = {
    "anonymous": (None, {**ANONYMOUS_DUTCH, **ANONYMOUS_ENGLISH}),
    "member": ("anna@leden.example", MEMBER),
    "contact person": ("carla@leden.example", CONTACT_PERSON),
}
HEADING_LIMIT = 400

LAYOUT = """() => ({
    width: document.documentElement.scrollWidth,
    heading: Math.round(document.querySelector('h1').getBoundingClientRect().top + scrollY),
})"""


@pytest.fixture
def phone(browser, live_server):
    def open_phone(text_size=None, javascript=True):
        context = browser.new_context(
            locale="nl-NL", viewport=PHONE, java_script_enabled=javascript
        )
        context.set_default_timeout(15_000)
        if text_size:
            context.add_cookies(
                [{"name": "tekstgrootte", "value": text_size, "url": live_server.url}]
            )
        opened.append(context)
        return context.new_page()

    opened = []
    yield open_phone
    for context in opened:
        context.close()


def layouts(browser_page, base_url, person):
    account, pages = PEOPLE[person]
    if account:
        log_in_member(browser_page, base_url, account)
    measured = {}
    for label, path in pages.items():
        browser_page.goto(base_url + resolve(path))
        measured[f"{label} ({path})"] = browser_page.evaluate(LAYOUT)
    return measured


@pytest.mark.parametrize("person", list(PEOPLE))
def test_every_page_type_fits_the_phone_and_starts_on_the_first_screen(phone, live_server, person):
    measured = layouts(phone(), live_server.url, person)
    # The figures behind the "heading top at 390 px per page type" (pytest -s shows them).
    print(f"\nheading top at 390 x 844, {person}:")
    for label, found in measured.items():
        print(f"  {found['heading']:4d} px  {label}")

    too_wide = {path: m["width"] for path, m in measured.items() if m["width"] > PHONE["width"]}
    assert not too_wide, f"pages wider than the phone: {too_wide}"
    too_low = {path: m["heading"] for path, m in measured.items() if m["heading"] > HEADING_LIMIT}
    assert not too_low, f"page headings below {HEADING_LIMIT} px: {too_low}"


@pytest.mark.parametrize("person", list(PEOPLE))
def test_nothing_scrolls_sideways_at_extra_large_text(phone, live_server, person):
    browser_page = phone(text_size="extra-groot")
    measured = layouts(browser_page, live_server.url, person)
    assert browser_page.locator("html.text-size-extra-groot").count() == 1
    print(f"\nheading top at 390 x 844, Extra groot, {person}:")
    for label, found in measured.items():
        print(f"  {found['heading']:4d} px  {label}")

    too_wide = {path: m["width"] for path, m in measured.items() if m["width"] > PHONE["width"]}
    assert not too_wide, f"pages wider than the phone at Extra groot: {too_wide}"


def test_the_folded_menu_opens_with_the_keyboard_without_javascript(phone, live_server):
    browser_page = phone(javascript=False)
    browser_page.goto(f"{live_server.url}/nl/")
    menu = browser_page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu).to_be_hidden()
    expect(browser_page.get_by_role("button", name="Groot", exact=True)).to_be_hidden()

    browser_page.locator("summary.site-menu__toggle").focus()
    browser_page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(browser_page.get_by_role("button", name="Extra groot")).to_be_visible()
    menu.get_by_role("link", name="Agenda").click()
    expect(browser_page).to_have_url(f"{live_server.url}/nl/agenda/")


def test_on_a_wide_screen_the_menu_shows_without_a_toggle(page, live_server):
    page.goto(f"{live_server.url}/nl/")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
    expect(page.locator("summary.site-menu__toggle")).to_be_hidden()
    expect(page.get_by_role("button", name="Extra groot")).to_be_visible()


def test_search_results_come_before_the_filters_on_a_phone(phone, live_server):
    browser_page = phone()
    browser_page.goto(f"{live_server.url}/nl/kennisbank/?q=binnenbuurt")
    first_result = browser_page.locator(".kb-result").first.bounding_box()
    filters = browser_page.get_by_role("heading", name="Verfijn de resultaten").bounding_box()
    assert first_result["y"] < PHONE["height"]
    assert first_result["y"] < filters["y"]
    browser_page.get_by_role("link", name="Verfijn de resultaten").click()
    expect(browser_page).to_have_url(re.compile("#kb-facets-heading$"))
