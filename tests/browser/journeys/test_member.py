"""A member over 70 on a phone without JavaScript: logs in, reads the news of their own
binnenbuurt, signs up for a lecture, finds the sign-up under "Mijn aanmeldingen" and cancels it."""

import re

from playwright.sync_api import expect

from events.models import Registration
from tests.browser.journeys.conftest import PHONE, log_in

EVENT = "Lezing: wilsverklaring en levenstestament"


def test_member_on_a_phone_without_javascript_signs_up_and_cancels(
    journey, live_server, new_member
):
    email = new_member(first_name="Truus")
    walk = journey("member over 70 (phone, no JavaScript)", viewport=PHONE, javascript=False)
    page = walk.page

    page.goto(f"{live_server.url}/nl/")
    walk.step("home")
    walk.click(page.get_by_role("banner").get_by_role("link", name="Inloggen", exact=True))
    walk.step("login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen voor leden")
    log_in(walk, email)

    walk.step("member home")
    expect(page).to_have_url(re.compile(r"/nl/mijn-stadsdorp/$"))
    expect(page.get_by_role("heading", name="Uw binnenbuurt: Zonnehof")).to_be_visible()
    expect(page.get_by_role("link", name="Koffie bij Anna was een succes")).to_be_visible()
    # Another binnenbuurt's news stays with that binnenbuurt.
    expect(page.get_by_text("Welkom aan de nieuwe buren op nummer 12")).to_have_count(0)
    heading_top = page.get_by_role("heading", level=1).bounding_box()["y"]
    assert heading_top < PHONE["height"] / 2, heading_top

    walk.click(page.get_by_role("link", name=EVENT).first)
    walk.step("the lecture")
    expect(page.get_by_role("heading", level=1)).to_have_text(EVENT)
    signup = page.get_by_role("region", name="Aanmelden")
    # Logged in: the form knows who they are, so they only press the button.
    expect(signup.get_by_label("Uw naam")).to_have_value(re.compile("Truus"))
    expect(signup.get_by_label("Uw e-mailadres")).to_have_value(email)
    expect(signup.get_by_label("Met hoeveel personen komt u?")).to_have_value("1")
    walk.click(signup.get_by_role("button", name="Aanmelden"))

    walk.step("signed up")
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent aangemeld")
    expect(page.get_by_role("status")).to_contain_text("met 1 persoon")
    registration = Registration.objects.get(email=email)
    assert registration.status == Registration.Status.CONFIRMED

    walk.click(page.get_by_role("link", name="Bekijk al uw aanmeldingen"))
    walk.step("my sign-ups")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn aanmeldingen")
    listed = page.locator(".member-signup", has_text=EVENT)
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Aangemeld voor 1 persoon.")

    walk.click(listed.get_by_role("link", name=f"Afmelden voor {EVENT}"))
    walk.step("cancel")
    expect(page.get_by_role("heading", level=1)).to_have_text("Afmelden")
    walk.click(page.get_by_role("button", name="Ja, meld mij af"))
    walk.step("cancelled")
    expect(page.get_by_role("status")).to_contain_text(f"U bent afgemeld voor {EVENT}")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED

    walk.click(page.get_by_role("link", name="Bekijk al uw aanmeldingen"))
    walk.step("my sign-ups, empty")
    expect(page.locator(".member-signup", has_text=EVENT)).to_have_count(0)
    expect(page.get_by_text("U heeft zich nu niet aangemeld voor een activiteit.")).to_be_visible()
