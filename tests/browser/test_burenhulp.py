"""Burenhulp as its people use it, on a phone (390 x 844) without JavaScript: Anna asks for help,
Fatima (a neighbour in her binnenbuurt) offers it, Anna accepts and only then Fatima sees Anna's
phone number; Carla, their contact person, posts a request for a neighbour without internet;
Bert, of the other binnenbuurt, sees none of it — on the board, on his home or at the address."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.page_types import log_in_member

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

ANNAS_PHONE = "020 555 01 01"  # the demo's


def log_in(page, base_url, email):
    page.context.clear_cookies()
    log_in_member(page, base_url, email)


def test_ask_help_accept_on_behalf_and_nobody_else_sees_it(
    live_server, phone_without_js, check_page
):
    phone = phone_without_js
    base = live_server.url
    title = f"Wie haalt zaterdag mijn medicijnen op? {uuid.uuid4().hex[:4]}"

    # Anna asks, from the board.
    log_in(phone, base, "anna@leden.example")
    phone.goto(f"{base}/nl/burenhulp/")
    check_page(phone, "burenhulp board, phone, no JavaScript")
    phone.get_by_role("link", name="Hulp vragen").first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hulp vragen")
    expect(phone.get_by_text("persoonlijke verzorging", exact=False).first).to_be_visible()
    phone.get_by_label("Boodschappen").check()
    phone.get_by_label("In een paar woorden").fill(title)
    phone.get_by_label("Flexibel: wanneer het uitkomt").check()
    phone.get_by_label("Alleen mijn binnenbuurt").check()
    phone.get_by_role("button", name="Hulpvraag plaatsen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(title)
    expect(phone.get_by_text("Uw hulpvraag staat erop.")).to_be_visible()
    post_url = phone.url
    check_page(phone, "own request, phone")

    # Fatima, in the same binnenbuurt, finds it on the board and helps.
    log_in(phone, base, "fatima@leden.example")
    phone.goto(f"{base}/nl/burenhulp/")
    phone.get_by_role("link", name=title).click()
    phone.get_by_label("Als mijn hulp wordt aangenomen", exact=False).check()
    phone.get_by_role("button", name="Ik help").click()
    expect(phone.get_by_text("U heeft gereageerd.")).to_be_visible()
    expect(phone.get_by_text(ANNAS_PHONE)).to_have_count(0)  # not before Anna agrees

    # Anna accepts; then each sees the other's contact card.
    log_in(phone, base, "anna@leden.example")
    phone.goto(post_url)
    phone.get_by_role("button", name=re.compile("^Ja, graag")).click()
    expect(phone.get_by_text("er helpt iemand").first).to_be_visible()
    log_in(phone, base, "fatima@leden.example")
    phone.goto(post_url)
    expect(phone.get_by_text("U bent gekozen!")).to_be_visible()
    expect(phone.get_by_text(ANNAS_PHONE)).to_be_visible()
    check_page(phone, "chosen helper, phone")

    # Carla, the contact person, posts for a neighbour who phoned her.
    for_neighbour = f"Wie brengt mevrouw naar de kapper? {uuid.uuid4().hex[:4]}"
    log_in(phone, base, "carla@leden.example")
    phone.goto(f"{base}/nl/burenhulp/namens-een-buur/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hulp vragen voor een buur")
    phone.get_by_label("Voor wie?").select_option(index=1)
    phone.get_by_label("De buur weet ervan", exact=False).check()
    phone.get_by_label("Vervoer", exact=True).check()
    phone.get_by_label("In een paar woorden").fill(for_neighbour)
    phone.get_by_label("Flexibel: wanneer het uitkomt").check()
    phone.get_by_label("Alleen mijn binnenbuurt").check()
    phone.get_by_role("button", name="Hulpvraag plaatsen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(for_neighbour)
    check_page(phone, "request posted for a neighbour, phone")

    # Bert, of Lindengracht, sees neither: not on the board, not on his home, not at the address.
    log_in(phone, base, "bert@leden.example")
    for text in (title, for_neighbour):
        expect(phone.get_by_text(text)).to_have_count(0)
    phone.goto(f"{base}/nl/burenhulp/")
    for text in (title, for_neighbour):
        expect(phone.get_by_text(text)).to_have_count(0)
    response = phone.goto(post_url)
    assert response.status == 404
    expect(phone.get_by_text(title)).to_have_count(0)


def test_in_english_a_phone_gets_clear_messages_for_bad_input(
    live_server, phone_without_js, check_page
):
    """An expat member on a phone: the board, the ask form and its error messages in English;
    page numbers typed by hand that do not exist show a page of the board, never an error."""
    phone = phone_without_js
    base = live_server.url
    log_in_member(phone, base, "anna@leden.example", language="en")

    phone.goto(f"{base}/en/burenhulp/")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    check_page(phone, "burenhulp board in English, phone")
    for bad_number in ("0", "-3", "abc", "99999", "1e9", "%00"):
        response = phone.goto(f"{base}/en/burenhulp/?vragen={bad_number}&aanbod={bad_number}")
        assert response.status == 200, bad_number
        expect(phone.get_by_role("heading", level=1)).to_be_visible()

    phone.get_by_role("link", name="Ask for help").first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ask for help")
    phone.get_by_role("button", name=re.compile("^Post")).click()  # nothing filled in
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ask for help")
    errors = phone.locator(".errorlist, [role=alert]")
    expect(errors.first).to_be_visible()
    assert "Dit veld" not in phone.content()  # Django's messages in English too
    check_page(phone, "ask form with errors in English, phone")

    title = f"Who takes my letter to the post office? {uuid.uuid4().hex[:4]}"
    phone.get_by_label("Shopping").check()
    phone.get_by_label("In a few words").fill(title)
    phone.locator("input[name=timing][value=datum]").check()
    phone.get_by_label("Date (or first day)").fill("2020-03-14")
    phone.get_by_label("Only my binnenbuurt").check()
    phone.get_by_role("button", name=re.compile("^Post")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ask for help")
    expect(phone.get_by_text("This date has passed. Choose today or later.")).to_be_visible()
    expect(phone.get_by_label("In a few words")).to_have_value(title)  # what was typed stays
    check_page(phone, "ask form, date in the past, English, phone")
