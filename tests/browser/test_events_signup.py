"""Signing up in Chromium: the form, the confirmation, the e-mail's cancel link, the waiting list.

Uses the shared demo site; each test uses its own e-mail address and frees what it takes where it
can, so the other browser tests are not affected.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from django.core import mail
from django.utils import timezone

from events import signup
from events.models import EventPage, Registration


@pytest.fixture(autouse=True)
def demo_database(db):
    """The session's shared demo site (tests/browser/conftest.py); no ``django_db`` mark."""


@pytest.fixture
def base_url(live_server):
    return live_server.url


def fill_form(page, name, email, people="1", button="Aanmelden"):
    page.get_by_label("Uw naam").fill(name)
    page.get_by_label("Uw e-mailadres").fill(email)
    page.get_by_label("Met hoeveel personen komt u?").fill(people)
    page.get_by_role("button", name=button).click()


def test_sign_up_then_cancel_from_the_email(page, base_url, assert_accessible):
    email = f"browser-{uuid.uuid4().hex[:8]}@example.org"
    page.goto(f"{base_url}/nl/agenda/lezing-levenstestament/aanmelden/")
    expect(page.locator("h1")).to_have_text("Aanmelden: Lezing: wilsverklaring en levenstestament")
    assert_accessible(page, "sign-up form")

    expect(page.get_by_label("Met hoeveel personen komt u?")).to_have_attribute("max", "2")
    # Too many people: refused, input kept, and the error summary is where the eye and the
    # keyboard are (focused and scrolled to), with "Fout:" in the title for screen readers.
    fill_form(page, "Anna Browser", email, people="5")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_focused()
    assert 0 <= page.get_by_role("alert").bounding_box()["y"] < page.viewport_size["height"]
    expect(page).to_have_title(re.compile("^Fout: "))
    expect(page.locator(".field-error")).to_contain_text("hoogstens 2")
    expect(page.get_by_label("Uw naam")).to_have_value("Anna Browser")
    assert_accessible(page, "sign-up form with errors")

    page.get_by_label("Met hoeveel personen komt u?").fill("2")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.locator("h1")).to_have_text("U bent aangemeld")
    expect(page.get_by_role("status")).to_contain_text("met 2 personen")

    messages = [m for m in mail.outbox if m.to == [email]]
    assert len(messages) == 1
    message = messages[0]
    assert message.attachments[0][0].endswith(".ics")
    path = re.search(r"https?://[^/\s]+(/\S+/agenda-afmelden/\S+/)", message.body).group(1)

    event = EventPage.objects.get(slug="lezing-levenstestament")
    day = timezone.localtime(event.start).date()
    taken = signup.places_taken(event, day)

    page.goto(base_url + path)
    expect(page.locator("h1")).to_have_text("Afmelden")
    expect(page.get_by_text("Wilt u de aanmelding van Anna Browser (2 personen)")).to_be_visible()
    assert_accessible(page, "cancel page")
    page.get_by_role("button", name="Ja, meld mij af").click()
    expect(page.get_by_role("status")).to_contain_text("U bent afgemeld")
    free = event.capacity - (taken - 2)
    expect(page.get_by_text(f"Er zijn nu {free} plaatsen vrij.")).to_be_visible()
    assert Registration.objects.get(email=email).status == "cancelled"
    assert signup.places_taken(event, day) == taken - 2

    # The link used again says it is already done.
    page.goto(base_url + path)
    expect(page.get_by_role("status")).to_contain_text("al afgemeld")


def test_full_event_offers_the_waiting_list(page, base_url):
    event = EventPage.objects.get(slug="excursie-museum")
    day = timezone.localtime(event.start).date()
    free = event.capacity - signup.places_taken(event, day)
    fillers = []
    if free > 0:
        filler, _ = signup.register(
            event, day, name="Vult op", number_of_people=free, source="paper", on_behalf=True
        )
        fillers.append(filler)
    try:
        page.goto(f"{base_url}/nl/agenda/excursie-museum/")
        expect(page.locator(".event-facts .badge--full")).to_have_text("Vol")
        expect(page.locator(".notice--full")).to_contain_text("wachtlijst")
        expect(page.locator(".event-facts")).not_to_contain_text("Nog 0 plaatsen")
        email = f"wacht-{uuid.uuid4().hex[:8]}@example.org"
        fill_form(page, "Willem Wachtlijst", email, button="Vol — zet mij op de wachtlijst")
        expect(page.locator("h1")).to_have_text("U staat op de wachtlijst")
        expect(page.get_by_role("link", name=re.compile("Zet in mijn agenda"))).to_have_count(0)
        registration = Registration.objects.get(email=email)
        assert registration.status == "waitlisted"
    finally:
        for registration in Registration.objects.filter(
            event=event, name__in=["Willem Wachtlijst", "Vult op"]
        ):
            registration.status = Registration.Status.CANCELLED
            registration.save()
