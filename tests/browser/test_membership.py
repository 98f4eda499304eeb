"""Becoming a member on a phone without JavaScript, the coordinator's approval, the welcome link
and the first login; then a member changes their phone and consents, a member moves (the
coordinator's screens show the new address) and the treasurer keeps the contributions and reaches
nothing else. axe-core on every page.

The demo's coordinator (Henk) runs Rivierenbuurt-Noord. The live server shares this process's
locmem outbox, so the welcome e-mail is read from ``django.core.mail.outbox``. Names and addresses
are unique per run: the browser tests share one database for the session.
"""

import io
import re
import time
import uuid

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from django.contrib.auth import get_user_model
from django.core import mail

from home.form_protection import MIN_SECONDS
from members_area.membership.models import Membership
from members_area.models import Binnenbuurt, Member
from members_area.services import enrol_member
from tests.demo_accounts import PASSWORD

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

STADSDORP = "rivierenbuurt-noord"
NEW_PASSWORD = "Buurt-welkom-2026!"


def log_in(page, base_url, email, password):
    page.goto(f"{base_url}/nl/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label(re.compile(r"^Wachtwoord")).fill(password)
    page.get_by_role("button", name="Inloggen").click()


def log_out(page):
    page.context.clear_cookies()


def test_apply_approve_set_password_and_log_in(live_server, phone_without_js, check_page):
    page = phone_without_js
    base = live_server.url
    tag = uuid.uuid4().hex[:6]
    email = f"greet-{tag}@voorbeeld.example"
    last_name = f"Jansen-{tag}"

    # 1. Apply on a phone, without JavaScript; a mistake first, then the suggestion button.
    page.goto(f"{base}/nl/lidmaatschap/aanmelden/{STADSDORP}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lid worden van")
    check_page(page, "apply form")
    shown = time.monotonic()
    page.get_by_label(re.compile(r"^Voornaam")).fill("Greet")
    page.get_by_label("Achternaam").fill(last_name)
    page.get_by_label("Straat en huisnummer").fill("Lindengracht 30")
    page.get_by_label("Postcode").fill("10")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Mijn naam en telefoonnummer mogen op de lijst van mijn binnenbuurt.").check()
    page.get_by_label(re.compile("^Ik geef het stadsdorp toestemming")).check()
    time.sleep(max(0, MIN_SECONDS + 0.5 - (time.monotonic() - shown)))
    page.get_by_role("button", name="Aanmelding versturen").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_text("Een postcode is 4 cijfers en 2 letters").first).to_be_visible()
    expect(page.get_by_label("Achternaam")).to_have_value(last_name)  # what was typed stays
    check_page(page, "apply form with errors")
    page.get_by_label("Postcode").fill("1015 KE")
    time.sleep(MIN_SECONDS + 0.5)  # a person, not a robot (home.form_protection)
    page.get_by_role("button", name="Aanmelding versturen").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/verstuurd/$"))
    check_page(page, "application sent")

    # 2. The coordinator approves it from the queue.
    log_in(page, base, "henk@leden.example", PASSWORD)
    page.goto(f"{base}/nl/ledenadministratie/")
    check_page(page, "queue")
    page.get_by_role("link", name=re.compile(f"Greet {last_name}")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(last_name)
    check_page(page, "application")
    page.get_by_label("Goedkeuren: deze persoon wordt lid").check()
    page.get_by_label("Binnenbuurt van het nieuwe lid").select_option(label="Lindengracht")
    mail.outbox.clear()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text(f"Greet {last_name} is nu lid.")).to_be_visible()
    member = Member.objects.get(user__email=email)
    assert member.binnenbuurt.name == "Lindengracht"
    assert Membership.objects.get(member=member).stadsdorp.slug == STADSDORP
    log_out(page)

    # 3. The welcome e-mail's link: choose a password, then log in with it.
    (welcome,) = [message for message in mail.outbox if message.to == [email]]
    link = re.search(r"https?://\S+/welkom/\S+/", welcome.body).group(0)
    # Membership e-mails name the site's configured address, not the live server's port.
    page.goto(re.sub(r"^https?://[^/]+", base, link))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom: kies uw wachtwoord")
    check_page(page, "welcome: choose a password")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^Nieuw wachtwoord bevestigen")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw nieuwe wachtwoord is opgeslagen")
    check_page(page, "password saved")
    log_in(page, base, email, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/nl/mijn-stadsdorp/$"))
    expect(page.get_by_role("heading", name="Uw binnenbuurt: Lindengracht")).to_be_visible()


def test_member_changes_phone_and_consent(live_server, phone_without_js, check_page):
    page = phone_without_js
    base = live_server.url
    # A member of its own, so that the demo's members stay as other tests expect them.
    email = f"lid-{uuid.uuid4().hex[:8]}@leden.example"
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, first_name="Bert", last_name="Buur"
    )
    bert = enrol_member(
        Member.objects.create(user=user, binnenbuurt=Binnenbuurt.objects.get(name="Lindengracht"))
    )
    phone = f"06 {uuid.uuid4().int % 10**8:08d}"
    log_in(page, base, email, PASSWORD)
    page.goto(f"{base}/nl/mijn-profiel/")
    check_page(page, "my profile")
    page.get_by_label(re.compile(r"^Telefoonnummer")).fill("")
    page.get_by_label(re.compile(r"^Voornaam")).fill("")
    page.get_by_role("button", name="Opslaan").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("^Voornaam"))).to_be_visible()
    check_page(page, "my profile with errors")
    page.get_by_label(re.compile(r"^Voornaam")).fill("Bert")
    page.get_by_label(re.compile(r"^Telefoonnummer")).fill(phone)
    page.get_by_label("Bel mij liever dan dat u mij mailt.").check()
    page.get_by_label("Mijn adres mag op de lijst van mijn binnenbuurt.").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Uw gegevens zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Telefoonnummer"))).to_have_value(phone)
    expect(page.get_by_label("Bel mij liever dan dat u mij mailt.")).to_be_checked()
    bert.refresh_from_db()
    membership = Membership.objects.get(member=bert)
    assert bert.phone == phone
    assert membership.prefers_phone and membership.share_address
    page.get_by_role("link", name="E-mailadres wijzigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mailadres wijzigen")
    check_page(page, "change e-mail address")


def test_member_moves_and_the_coordinator_sees_the_new_address(
    live_server, phone_without_js, check_page
):
    page = phone_without_js
    base = live_server.url
    tag = uuid.uuid4().hex[:6]
    email = f"verhuizer-{tag}@leden.example"
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, first_name="Vera", last_name=f"Huis-{tag}"
    )
    vera = enrol_member(
        Member.objects.create(
            user=user,
            binnenbuurt=Binnenbuurt.objects.get(name="Lindengracht"),
            street_address="Lindengracht 50",
            postcode="1015KE",
            city="Amsterdam",
        )
    )
    log_in(page, base, email, PASSWORD)
    page.goto(f"{base}/nl/mijn-profiel/")
    expect(page.get_by_label("Straat en huisnummer")).to_have_value("Lindengracht 50")
    expect(page.get_by_label("Postcode")).to_have_value("1015 KE")
    # A postcode that is not one: the summary links to the field, what was typed stays.
    page.get_by_label("Straat en huisnummer").fill(f"Kruislaan {tag}")
    page.get_by_label("Postcode").fill("109")
    page.get_by_role("button", name="Opslaan").click()
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("link", name=re.compile("^Postcode"))).to_be_visible()
    expect(page.get_by_label("Straat en huisnummer")).to_have_value(f"Kruislaan {tag}")
    check_page(page, "my profile with a wrong postcode")
    page.get_by_label("Postcode").fill("1098 sm")
    page.get_by_label("Mijn naam en telefoonnummer mogen op de lijst van mijn binnenbuurt.").check()
    page.get_by_label("Mijn adres mag op de lijst van mijn binnenbuurt.").check()
    page.get_by_label("Ik wil de nieuwsbrief ook op papier, in de brievenbus.").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Uw gegevens zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_label("Postcode")).to_have_value("1098 SM")
    vera.refresh_from_db()
    assert (vera.street_address, vera.postcode) == (f"Kruislaan {tag}", "1098SM")

    # The coordinator: the member screen and the binnenbuurt's printable list have the new one.
    log_out(page)
    log_in(page, base, "henk@leden.example", PASSWORD)
    page.goto(f"{base}/nl/ledenadministratie/leden/?q=Huis-{tag}")
    page.get_by_role("link", name=re.compile(f"Vera Huis-{tag}")).click()
    expect(page.get_by_text(f"Kruislaan {tag}, 1098 SM Amsterdam")).to_be_visible()
    expect(page.get_by_text("Lindengracht 50")).to_have_count(0)
    check_page(page, "member screen after a move")
    lindengracht = Binnenbuurt.objects.get(name="Lindengracht")
    pdf = page.request.get(f"{base}/nl/ledenadministratie/lijsten/{lindengracht.pk}.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert f"Kruislaan {tag}" in text and "Lindengracht 50" not in text
    log_out(page)


def test_treasurer_sees_only_the_contribution_screens(live_server, phone_without_js, check_page):
    page = phone_without_js
    base = live_server.url
    log_in(page, base, "penningmeester@leden.example", PASSWORD)
    expect(page).to_have_url(re.compile(r"/nl/mijn-stadsdorp/$"))
    account = page.get_by_role("navigation", name="Uw account")
    expect(account.get_by_role("link", name="Contributie")).to_be_visible()
    expect(account.get_by_role("link", name="Aanmeldingen en leden")).to_have_count(0)
    check_page(page, "treasurer's member home")
    account.get_by_role("link", name="Contributie").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contributie")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rivierenbuurt-Noord")
    expect(page.get_by_role("link", name="Naar de ledenlijst")).to_have_count(0)
    check_page(page, "treasurer's contribution overview")
    page.get_by_role("link", name=re.compile(r"^Bert Jansen")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bert Jansen")
    check_page(page, "treasurer records a payment")
    export = page.request.get(f"{base}/nl/ledenadministratie/contributie/export.csv")
    assert export.status == 200
    assert "E-mailadres" not in export.text() and "bert@leden.example" not in export.text()
    for path in (
        "/nl/ledenadministratie/",
        "/nl/ledenadministratie/leden/",
        "/nl/ledenadministratie/lijsten/",
        "/nl/ledenadministratie/aanmelding-invoeren/",
    ):
        response = page.goto(f"{base}{path}")
        assert response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    log_out(page)
