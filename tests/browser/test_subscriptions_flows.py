"""Newsletter in a real browser: double opt-in, unsubscribing from an e-mail, the archive, and the
member's calendar page. E-mails are read from ``django.core.mail.outbox`` (locmem backend); their
links point at WAGTAILADMIN_BASE_URL, which is swapped for the live server's address."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from django.conf import settings
from django.core import mail
from django.core.mail import get_connection

from members_area.subscriptions import sending
from members_area.subscriptions.models import NewsletterIndexPage, NewsletterPage, Subscriber
from tests.demo_accounts import PASSWORD

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


def link_from(message, pattern, live_server):
    match = re.search(pattern, message.body)
    assert match, message.body
    return match.group(0).replace(settings.WAGTAILADMIN_BASE_URL, live_server.url)


def test_public_signup_confirmation_email_and_confirm(live_server, page, assert_accessible):
    email = f"lezer-{uuid.uuid4().hex[:8]}@example.org"
    page.goto(f"{live_server.url}/nl/nieuwsbrief/aanmelden/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden voor de nieuwsbrief")
    assert_accessible(page, "newsletter sign-up")

    # A mistake first: a clear Dutch message, and what was typed is kept.
    page.get_by_label("Uw e-mailadres").fill("geen-adres")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("alert").first).to_contain_text("Let op")
    expect(page.get_by_text("Dit lijkt geen geldig e-mailadres")).to_be_visible()
    expect(page.get_by_label("Uw e-mailadres")).to_have_value("geen-adres")
    assert_accessible(page, "newsletter sign-up with errors")

    page.get_by_label("Uw e-mailadres").fill(email)
    page.get_by_label("Uw naam").fill("Mevrouw Jansen")
    page.get_by_label(re.compile("Ja, ik wil de nieuwsbrief")).check()
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in uw mailbox")
    assert Subscriber.objects.get(email=email).status == Subscriber.Status.PENDING

    messages = [message for message in mail.outbox if message.to == [email]]
    assert len(messages) == 1
    link = link_from(messages[0], r"http://\S+/nl/nieuwsbrief/bevestigen/\S+/", live_server)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelding bevestigen")
    page.get_by_role("button", name="Ja, bevestig mijn aanmelding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent aangemeld")
    assert Subscriber.objects.get(email=email).status == Subscriber.Status.ACTIVE

    # The used link now shows the neutral page.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet")


def test_unsubscribe_link_from_a_newsletter_email(live_server, page, assert_accessible):
    email = f"afmelder-{uuid.uuid4().hex[:8]}@example.org"
    subscriber = Subscriber.objects.create(
        email=email, name="Meneer de Vries", status=Subscriber.Status.ACTIVE
    )
    index = NewsletterIndexPage.objects.get(slug="nieuwsbrief")
    issue = index.add_child(
        instance=NewsletterPage(title=f"Test {email}", slug=f"test-{uuid.uuid4().hex[:8]}")
    )
    issue.save_revision().publish()
    mail.outbox.clear()
    sending.send_issue(issue, connection_factory=lambda: get_connection())
    messages = [message for message in mail.outbox if message.to == [email]]
    assert len(messages) == 1
    assert messages[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    link = link_from(messages[0], r"http://\S+/nl/nieuwsbrief/afmelden/\S+/", live_server)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Afmelden voor de nieuwsbrief")
    expect(page.get_by_text(email)).to_be_visible()
    assert_accessible(page, "unsubscribe page")
    page.get_by_role("button", name="Ja, meld mij af").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent afgemeld")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_archive_and_archived_issue_are_accessible(live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/nl/nieuwsbrief/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwsbrief")
    issue_link = page.get_by_role("link", name="Nieuwsbrief november 2026")
    expect(issue_link).to_be_visible()
    # An issue that was never sent is not in the archive.
    expect(page.get_by_role("link", name="Nieuwsbrief december 2026")).to_have_count(0)
    assert_accessible(page, "newsletter archive")
    issue_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwsbrief november 2026")
    expect(page.get_by_text("Dit is de openbare versie")).to_be_visible()
    # The public version has no member-only sections.
    expect(page.get_by_role("heading", name=re.compile("Uit uw binnenbuurt"))).to_have_count(0)
    expect(page.get_by_role("heading", name="Nieuws voor leden")).to_have_count(0)
    assert_accessible(page, "archived newsletter issue")


def test_member_calendar_page_shows_a_working_private_feed(live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/nl/login/?next=/nl/mijn-agenda/")
    page.get_by_label("E-mailadres").fill("anna@leden.example")
    page.get_by_label(re.compile(r"^Wachtwoord")).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn agenda")
    assert_accessible(page, "my calendar")
    # With JavaScript a copy button is added (without it, the field can be copied by hand).
    expect(page.get_by_role("button", name="Link kopiëren")).to_be_visible()
    feed_url = page.get_by_label("Uw persoonlijke agenda-link").input_value()
    assert re.fullmatch(r"http://\S+/nl/mijn-agenda/[0-9a-f]{64}\.ics", feed_url)
    live_feed = feed_url.replace(settings.WAGTAILADMIN_BASE_URL, live_server.url)
    response = page.request.get(live_feed)
    assert response.status == 200 and "BEGIN:VCALENDAR" in response.text()

    page.get_by_role("button", name=re.compile("Nieuwe link maken")).click()
    expect(page.get_by_text("De oude link werkt niet meer")).to_be_visible()
    assert page.request.get(live_feed).status == 404
