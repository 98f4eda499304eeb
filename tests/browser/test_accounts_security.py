"""In Chromium: the lock message, two-factor authentication for administrators, a private photo.

Set ``SCREENSHOT_DIR`` to keep a screenshot of each state for a person to look at.
"""

import base64
import os
import re
import uuid

import pytest
from axes.models import AccessAttempt
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from django.contrib.auth import get_user_model

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from cms.accounts.models import RequestCounter
from members_area.models import Binnenbuurt, BinnenbuurtNewsPage
from tests.demo_accounts import PASSWORD


@pytest.fixture(autouse=True)
def fresh_limits():
    AccessAttempt.objects.all().delete()
    RequestCounter.objects.all().delete()
    yield
    AccessAttempt.objects.all().delete()


def shot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def code_for(key_bytes, steps_ahead=0):
    return f"{totp(key_bytes, t0=-30 * steps_ahead):06d}"


def new_administrator():
    email = f"beheer-{uuid.uuid4().hex[:8]}@leden.example"
    get_user_model().objects.create_superuser(
        username=email, email=email, password=PASSWORD, first_name="Bea"
    )
    return email


def admin_password_step(page, base_url, email):
    page.goto(f"{base_url}/admin/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()


def test_a_locked_member_reads_what_to_do(live_server, page, assert_accessible):
    email = f"lid-{uuid.uuid4().hex[:8]}@leden.example"
    for _attempt in range(5):
        page.goto(f"{live_server.url}/nl/login/")
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label(re.compile(r"^Wachtwoord")).fill("verkeerd-wachtwoord")
        page.get_by_role("button", name="Inloggen").click()
    alert = page.get_by_role("alert").first
    expect(alert).to_contain_text("te vaak een verkeerde poging")
    expect(alert).to_contain_text("over 15 minuten opnieuw")
    expect(alert).to_contain_text("inloggen met een code")
    expect(page.get_by_role("link", name=re.compile("ontvang een code per e-mail"))).to_be_visible()
    assert_accessible(page, "login page with the lock message")
    shot(page, "login-locked")


def test_administrator_enrols_logs_in_with_app_and_recovery_code_and_is_reset(
    live_server, browser, page, assert_accessible
):
    email = new_administrator()
    admin_password_step(page, live_server.url, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    expect(page.locator(".two-factor-qr svg")).to_be_visible()
    assert_accessible(page, "2FA enrolment")
    shot(page, "2fa-enrol")
    secret = page.locator("[data-secret]").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))

    page.get_by_role("textbox", name=re.compile(r"^Code")).fill("000000")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Deze code klopt niet")).to_be_visible()
    page.wait_for_timeout(1100)  # django-otp waits a second after a wrong code
    page.get_by_role("textbox", name=re.compile(r"^Code")).fill(code_for(key))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bewaar uw herstelcodes")
    codes = page.locator(".two-factor-codes code").all_inner_texts()
    assert len(codes) == 10
    shot(page, "2fa-recovery-codes")
    page.get_by_role("link", name=re.compile("Ik heb de codes bewaard")).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # A new browser: password, then the code from the app.
    second = browser.new_context(locale="nl-NL")
    again = second.new_page()
    admin_password_step(again, live_server.url, email)
    expect(again.get_by_role("heading", level=1)).to_have_text("Tweede stap: de code uit uw app")
    assert_accessible(again, "2FA code step")
    shot(again, "2fa-verify")
    again.get_by_role("textbox", name=re.compile(r"^Code")).fill(code_for(key, steps_ahead=1))
    again.get_by_role("button", name="Inloggen").click()
    expect(again).to_have_url(re.compile(r"/admin/$"))
    second.close()

    # Phone left at home: a recovery code works, once.
    third = browser.new_context(locale="nl-NL")
    recovery = third.new_page()
    admin_password_step(recovery, live_server.url, email)
    recovery.get_by_role("textbox", name=re.compile(r"^Code")).fill(codes[0])
    recovery.get_by_role("button", name="Inloggen").click()
    expect(recovery).to_have_url(re.compile(r"/admin/$"))
    expect(recovery.get_by_text("U bent ingelogd met een herstelcode")).to_be_visible()
    third.close()

    # Phone lost: another administrator resets it; the next login asks for a new app.
    helper_email = new_administrator()
    helper = get_user_model().objects.get(email=helper_email)
    helper_device = TOTPDevice.objects.create(user=helper, name="app", confirmed=True)
    fourth = browser.new_context(locale="nl-NL")
    colleague = fourth.new_page()
    admin_password_step(colleague, live_server.url, helper_email)
    colleague.get_by_role("textbox", name=re.compile(r"^Code")).fill(
        code_for(helper_device.bin_key)
    )
    colleague.get_by_role("button", name="Inloggen").click()
    expect(colleague).to_have_url(re.compile(r"/admin/$"))
    user = get_user_model().objects.get(email=email)
    colleague.goto(f"{live_server.url}/admin/tweestaps/opnieuw/{user.pk}/")
    shot(colleague, "2fa-reset-confirm")
    colleague.get_by_role("button", name="Ja, opnieuw instellen").click()
    expect(colleague.locator(".messages")).to_contain_text("is verwijderd")
    fourth.close()
    assert not TOTPDevice.objects.filter(user=user).exists()

    fifth = browser.new_context(locale="nl-NL")
    after_reset = fifth.new_page()
    admin_password_step(after_reset, live_server.url, email)
    expect(after_reset.get_by_role("heading", level=1)).to_have_text(
        "Tweestapsverificatie instellen"
    )
    fifth.close()


def test_a_private_photo_shows_to_its_binnenbuurt_only(live_server, browser, page):
    zonnehof = Binnenbuurt.objects.get(name="Zonnehof")
    photo = get_image_model().objects.create(
        title="Binnentuin",
        file=get_test_image_file(filename="binnentuin.png", size=(800, 500), colour="green"),
        collection=zonnehof.collection,
    )
    section = zonnehof.pages.get()
    news = section.add_child(
        instance=BinnenbuurtNewsPage(
            title=f"Tuin {uuid.uuid4().hex[:6]}",
            body="<p>De binnentuin is klaar.</p>",
            image=photo,
            image_description="Een groene binnentuin",
        )
    )
    page.goto(f"{live_server.url}/nl/login/")
    page.get_by_label("E-mailadres").fill("anna@leden.example")
    page.get_by_label(re.compile(r"^Wachtwoord")).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(live_server.url + news.url)
    image = page.get_by_role("img", name="Een groene binnentuin")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    source = image.get_attribute("src")
    assert source.startswith(f"/afbeeldingen/{photo.pk}/")
    shot(page, "private-photo-member")

    stranger = browser.new_context(locale="nl-NL")
    anonymous = stranger.new_page()
    response = anonymous.goto(live_server.url + source)
    expect(anonymous).to_have_url(re.compile(r"/nl/login/\?next="))
    assert response.status == 200  # the login page, after the redirect
    stranger.close()
