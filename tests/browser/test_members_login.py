"""Members log in with a password, with a one-time code, and reset a forgotten password.

The live server runs in this process with the locmem e-mail backend, so the e-mails are read from
``django.core.mail.outbox``. Accounts that change (a new password) are made per test.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from django.contrib.auth import get_user_model
from django.core import mail

from members_area.models import Binnenbuurt, Member
from members_area.services import enrol_member
from tests.demo_accounts import PASSWORD

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


def new_member(binnenbuurt_name="Zonnehof"):
    email = f"lid-{uuid.uuid4().hex[:8]}@leden.example"
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, first_name="Greet"
    )
    enrol_member(
        Member.objects.create(user=user, binnenbuurt=Binnenbuurt.objects.get(name=binnenbuurt_name))
    )
    return email


def log_in(page, base_url, email, password=PASSWORD, remember=False, navigate=True):
    if navigate:
        page.goto(f"{base_url}/nl/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label(re.compile(r"^Wachtwoord")).fill(password)
    if remember:
        page.get_by_label("Ingelogd blijven op dit apparaat").check()
    page.get_by_role("button", name="Inloggen").click()


def test_login_page_is_accessible_and_login_leads_to_own_binnenbuurt(
    live_server, page, assert_accessible
):
    page.goto(f"{live_server.url}/nl/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen voor leden")
    assert_accessible(page, "login page")

    log_in(page, live_server.url, "anna@leden.example", "verkeerd-wachtwoord")
    expect(page.get_by_role("alert").first).to_contain_text(
        "Het e-mailadres of het wachtwoord klopt niet"
    )
    expect(page.get_by_label("E-mailadres")).to_have_value("anna@leden.example")

    log_in(page, live_server.url, "Anna@Leden.example", remember=True)
    expect(page).to_have_url(re.compile(r"/nl/mijn-stadsdorp/$"))
    expect(page.get_by_role("heading", name="Uw binnenbuurt: Zonnehof")).to_be_visible()
    expect(page.get_by_role("link", name="Koffie bij Anna was een succes")).to_be_visible()
    expect(page.get_by_text("Welkom aan de nieuwe buren op nummer 12")).to_have_count(0)
    expect(page.get_by_role("link", name="Ledenvergadering in het buurthuis")).to_be_visible()
    expect(page.get_by_text("06 5555 0202")).to_be_visible()  # the contact person's phone
    assert_accessible(page, "member home")

    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert cookies["sessionid"]["expires"] > 0  # "Ingelogd blijven": not a browser-session cookie

    page.get_by_role("button", name="Uitloggen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")
    page.goto(f"{live_server.url}/nl/mijn-stadsdorp/")
    expect(page).to_have_url(re.compile(r"/nl/login/\?next=/nl/mijn-stadsdorp/"))


def test_anonymous_visitor_is_sent_to_login_and_back(live_server, page):
    page.goto(f"{live_server.url}/nl/mijn-stadsdorp/zonnehof/")
    expect(page).to_have_url(re.compile(r"/nl/login/\?next="))
    log_in(page, live_server.url, "anna@leden.example", navigate=False)
    expect(page).to_have_url(re.compile(r"/nl/mijn-stadsdorp/zonnehof/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zonnehof")


def test_member_of_another_binnenbuurt_gets_a_plain_no_access_page(live_server, page):
    log_in(page, live_server.url, "bert@leden.example")
    expect(page.get_by_role("heading", name="Uw binnenbuurt: Lindengracht")).to_be_visible()
    response = page.goto(f"{live_server.url}/nl/mijn-stadsdorp/zonnehof/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(page.get_by_text("Zonnehof")).to_have_count(0)


def test_forgotten_password_by_email(live_server, page):
    email = new_member()
    mail.outbox.clear()
    page.goto(f"{live_server.url}/nl/login/")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Stuur mij een e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in uw e-mail")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    link = re.search(r"https?://\S+/nl/wachtwoord-vergeten/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)  # the e-mail names the live server's own host
    page.locator("#id_new_password1").fill("Een-nieuw-lang-wachtwoord")
    page.get_by_label(re.compile(r"^Nieuw wachtwoord bevestigen")).fill("Een-nieuw-lang-wachtwoord")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw nieuwe wachtwoord is opgeslagen")
    log_in(page, live_server.url, email, "Een-nieuw-lang-wachtwoord")
    expect(page).to_have_url(re.compile(r"/nl/mijn-stadsdorp/$"))


def test_unknown_address_gets_the_same_reset_answer(live_server, page):
    mail.outbox.clear()
    page.goto(f"{live_server.url}/nl/wachtwoord-vergeten/")
    page.get_by_label("E-mailadres").fill("onbekend@leden.example")
    page.get_by_role("button", name="Stuur mij een e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in uw e-mail")
    assert mail.outbox == []


def test_login_with_a_one_time_code(live_server, page):
    email = new_member()
    mail.outbox.clear()
    page.goto(f"{live_server.url}/nl/login/")
    page.get_by_role("link", name="Inloggen zonder wachtwoord").click()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Stuur mij een code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vul de code in")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)

    page.get_by_label("Inlogcode").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert").first).to_contain_text("Deze code klopt niet")

    page.get_by_label("Inlogcode").fill(code)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/nl/mijn-stadsdorp/$"))
    expect(page.get_by_role("heading", name="Uw binnenbuurt: Zonnehof")).to_be_visible()
