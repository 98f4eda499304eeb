"""Logging in by e-mail, staying logged in, reset and code flows, rate limits, no enumeration."""

import re

import pytest

from django.core import mail
from django.urls import reverse

from members_area.models import LoginCode

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/nl/login/"


def login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def test_urls_are_language_aware():
    assert reverse("login") == "/nl/login/"
    assert reverse("password_reset") == "/nl/wachtwoord-vergeten/"
    assert reverse("login_code") == "/nl/login/code/"
    assert reverse("members_profile") == "/nl/mijn-profiel/"


def test_login_with_email_in_any_case_goes_to_member_home(client, world):
    response = login(client, "ANNA@Example.org")
    assert response.status_code == 302
    assert response["Location"] == world.members_area.url
    assert client.session.get_expire_at_browser_close() is True


def test_remember_me_keeps_the_session_for_30_days(client, world):
    login(client, "anna@example.org", remember_me="on")
    assert client.session.get_expire_at_browser_close() is False
    assert client.session.get_expiry_age() == 30 * 24 * 60 * 60


def test_login_redirects_to_next(client, world):
    response = client.get(world.page_a.url)
    assert response.status_code == 302
    next_url = world.page_a.url
    assert response["Location"] == f"/nl/login/?next={next_url}"
    response = client.post(
        LOGIN, {"username": "anna@example.org", "password": PASSWORD, "next": next_url}
    )
    assert response["Location"] == next_url


def test_unknown_and_wrong_password_answer_identically(client, world):
    wrong = login(client, "anna@example.org", "verkeerd-wachtwoord")
    unknown = login(client, "niemand@example.org", "verkeerd-wachtwoord")
    assert wrong.status_code == unknown.status_code == 200
    message = "Het e-mailadres of het wachtwoord klopt niet."
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()
    # The typed address is kept so nobody has to type it again.
    assert 'value="niemand@example.org"' in unknown.content.decode()


def test_inactive_account_gets_the_same_answer(client, world):
    user = world.users["member_a"]
    user.is_active = False
    user.save()
    response = login(client, "anna@example.org")
    assert "Het e-mailadres of het wachtwoord klopt niet." in response.content.decode()


@pytest.mark.parametrize("email", ["anna@example.org", "niemand@example.org"])
def test_five_failures_lock_the_address_for_everyone_alike(client, world, email):
    for _attempt in range(4):
        login(client, email, "fout")
    response = login(client, email, "fout")
    assert response.status_code == 429
    assert "te vaak een verkeerde poging" in response.content.decode()
    # Even the right password is refused while locked ...
    response = login(client, email)
    assert response.status_code == 429
    assert "te vaak een verkeerde poging" in response.content.decode()
    # ... and the message says what to do: wait, or use a code by e-mail.
    assert "over 15 minuten opnieuw" in response.content.decode()
    assert "inloggen met een code" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_many_failures_from_one_address_lock_the_ip(client, world):
    for number in range(20):
        login(client, f"iemand{number}@example.org", "fout")
    response = login(client, "anna@example.org")
    assert "te vaak een verkeerde poging" in response.content.decode()


def test_logout_needs_post(client, world):
    client.force_login(world.users["member_a"])
    response = client.get("/nl/logout/")
    assert response.status_code == 200
    assert "_auth_user_id" in client.session
    client.post("/nl/logout/")
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_mail_only_to_members_but_answers_the_same(client, world):
    known = client.post("/nl/wachtwoord-vergeten/", {"email": "Anna@example.org"})
    unknown = client.post("/nl/wachtwoord-vergeten/", {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/nl/wachtwoord-vergeten/verstuurd/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.org"]
    link = re.search(r"http://testserver(/nl/wachtwoord-vergeten/\S+/)", mail.outbox[0].body)
    assert link
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Nieuw-en-lang-2026", "new_password2": "Nieuw-en-lang-2026"},
    )
    assert response["Location"] == "/nl/wachtwoord-vergeten/klaar/"
    assert login(client, "anna@example.org", "Nieuw-en-lang-2026").status_code == 302


def request_code(client, email):
    return client.post("/nl/login/code/", {"email": email})


def code_from_mail():
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_one_time_code_logs_in_once(client, world):
    response = request_code(client, "anna@example.org")
    assert response["Location"] == "/nl/login/code/invoeren/"
    code = code_from_mail()
    stored = LoginCode.objects.get(user=world.users["member_a"])
    assert code not in stored.code_hash  # only a keyed hash is kept
    response = client.post("/nl/login/code/invoeren/", {"code": code})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == world.users["member_a"].pk
    # Used once: the same code does not work again.
    client.logout()
    session = client.session
    session["members_area_code_email"] = "anna@example.org"
    session.save()
    response = client.post("/nl/login/code/invoeren/", {"code": code})
    assert "Deze code klopt niet of is verlopen" in response.content.decode()


def test_code_request_for_unknown_address_looks_the_same(client, world):
    response = request_code(client, "niemand@example.org")
    assert response["Location"] == "/nl/login/code/invoeren/"
    assert mail.outbox == []
    response = client.get("/nl/login/code/invoeren/")
    assert "Als niemand@example.org bij ons bekend is" in response.content.decode()
    response = client.post("/nl/login/code/invoeren/", {"code": "123456"})
    assert "Deze code klopt niet of is verlopen" in response.content.decode()


def test_expired_code_is_refused(client, world):
    from datetime import timedelta

    from django.utils import timezone

    request_code(client, "anna@example.org")
    code = code_from_mail()
    LoginCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/nl/login/code/invoeren/", {"code": code})
    assert "_auth_user_id" not in client.session
    assert "Deze code klopt niet of is verlopen" in response.content.decode()


def test_wrong_codes_use_up_the_code(client, world):
    request_code(client, "anna@example.org")
    code = code_from_mail()
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(LoginCode.MAX_ATTEMPTS):
        client.post("/nl/login/code/invoeren/", {"code": wrong})
    response = client.post("/nl/login/code/invoeren/", {"code": code})
    assert "_auth_user_id" not in client.session
    # Refused twice over: the code is used up, and code logins for the address are locked.
    assert LoginCode.objects.get().attempts == LoginCode.MAX_ATTEMPTS
    assert response.status_code == 429
    assert "te vaak een verkeerde poging" in response.content.decode()


def test_code_requests_are_limited(client, world):
    for _attempt in range(3):
        request_code(client, "anna@example.org")
    assert len(mail.outbox) == 3
    response = request_code(client, "anna@example.org")
    assert response.status_code == 200
    assert "al een paar codes aangevraagd" in response.content.decode()
    assert len(mail.outbox) == 3


def test_code_form_rejects_non_digits(client, world):
    request_code(client, "anna@example.org")
    response = client.post("/nl/login/code/invoeren/", {"code": "abc"})
    assert "Vul de 6 cijfers uit de e-mail in." in response.content.decode()


def test_login_pages_send_csrf_protected_forms(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(LOGIN, {"username": "anna@example.org", "password": PASSWORD})
    assert response.status_code == 403
    response = strict.post("/nl/login/code/", {"email": "anna@example.org"})
    assert response.status_code == 403


def test_login_follows_the_preferred_language(client, world, locales):
    _dutch, english = locales
    world.members_area.copy_for_translation(english, copy_parents=True).save_revision().publish()
    member = world.users["member_a"].member
    member.language = "en"
    member.save()
    response = login(client, "anna@example.org")
    assert response["Location"].startswith("/en/")
    assert response.cookies["django_language"].value == "en"


def test_logging_in_from_the_english_site_stays_english(client, world, locales):
    _dutch, english = locales
    world.members_area.copy_for_translation(english, copy_parents=True).save_revision().publish()
    assert world.users["member_a"].member.language == "nl"
    response = client.post("/en/login/", {"username": "anna@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/")
