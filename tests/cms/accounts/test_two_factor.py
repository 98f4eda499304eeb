"""Two-factor authentication for the admin's people (cms/accounts/two_factor.py)."""

import base64
import re
import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.urls import reverse

from tests.conftest import login_with_second_factor
from tests.members_area.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/admin/tweestaps/instellen/"
VERIFY = "/admin/tweestaps/code/"


def password_login(client, email):
    response = client.post("/admin/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def wait_after_a_wrong_code():
    """django-otp refuses every code for 1 s after a wrong one (then 2, 4, 8 ... s)."""
    time.sleep(1.1)


def app_code(device, steps_ahead=0):
    """The code the phone shows now (or a step later: a code works once)."""
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0 - steps_ahead * device.step,
        digits=device.digits,
        drift=device.drift,
    )
    return f"{value:0{device.digits}d}"


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_administrators_and_editors_must_enrol_before_anything_else(client, world, role):
    password_login(client, world.users[role].email)
    for url in ("/admin/", world.home.url, world.members_area.url):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP)
    # Logging out still works without the second step.
    assert client.post("/admin/logout/").status_code == 302


@pytest.mark.parametrize("role", ["member_a", "contact_a"])
def test_members_and_contact_persons_keep_their_password(client, world, role):
    client.post("/nl/login/", {"username": world.users[role].email, "password": PASSWORD})
    assert client.get(world.members_area.url).status_code == 200


def test_contact_person_reaches_the_admin_with_a_password(client, world):
    password_login(client, world.users["contact_a"].email)
    assert client.get("/admin/").status_code == 200


def test_the_setting_relaxes_the_requirement_but_not_for_people_who_enrolled(
    client, world, settings
):
    settings.ADMIN_2FA_REQUIRED = False
    password_login(client, world.users["admin"].email)
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")
    TOTPDevice.objects.create(user=world.users["admin"], name="app", confirmed=True)
    password_login(client, world.users["admin"].email)
    assert client.get("/admin/")["Location"].startswith(VERIFY)


def test_enrol_then_log_in_with_the_app_and_with_a_recovery_code(client, world):
    admin = world.users["admin"]
    password_login(client, admin.email)
    page = client.get(SETUP).content.decode()
    assert "Tweestapsverificatie instellen" in page
    assert "<svg" in page  # the QR code
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", page).group(1)
    assert secret.replace(" ", "") in base64.b32encode(device.bin_key).decode()

    assert "klopt niet" in client.post(SETUP, {"code": "000000"}).content.decode()
    wait_after_a_wrong_code()
    response = client.post(SETUP, {"code": app_code(device), "next": "/admin/pages/"})
    codes = re.findall(r"<code>(\d{4} \d{4})</code>", response.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200

    # Next time: password, then the code from the app.
    client.post("/admin/logout/")
    password_login(client, admin.email)
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    assert "klopt niet" in client.post(VERIFY, {"code": "123456"}).content.decode()
    # Straight after a wrong code even the right one is refused (django-otp's throttling).
    device.refresh_from_db()
    refused = client.post(VERIFY, {"code": app_code(device, steps_ahead=1)})
    assert "klopt niet" in refused.content.decode()
    wait_after_a_wrong_code()
    device.refresh_from_db()
    response = client.post(VERIFY, {"code": app_code(device, steps_ahead=1), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200

    # Without the phone: a recovery code, once.
    client.post("/admin/logout/")
    password_login(client, admin.email)
    response = client.post(VERIFY, {"code": codes[0], "next": "/admin/"}, follow=True)
    assert response.status_code == 200
    assert "herstelcode" in response.content.decode()
    assert StaticToken.objects.filter(device__user=admin).count() == 9
    client.post("/admin/logout/")
    password_login(client, admin.email)
    assert "klopt niet" in client.post(VERIFY, {"code": codes[0]}).content.decode()


def test_an_administrator_resets_a_lost_phone(client, world):
    editor = world.users["editor"]
    TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    login_with_second_factor(client, world.users["admin"])
    url = reverse("accounts_2fa_reset", args=[editor.pk])
    assert client.get(url).status_code == 200
    assert TOTPDevice.objects.filter(user=editor).exists()  # a GET changes nothing
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    # At the next login the editor enrols again.
    editor_client = type(client)()
    password_login(editor_client, editor.email)
    assert editor_client.get("/admin/")["Location"].startswith(SETUP)


def test_only_administrators_reset_and_never_without_their_own_second_step(client, world):
    editor = world.users["editor"]
    TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    url = reverse("accounts_2fa_reset", args=[editor.pk])
    login_with_second_factor(client, world.users["contact_a"])
    assert client.post(url).status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=editor, name="app").exists()
