"""One limiter for every way in (django-axes, accounts/lockout.py), behind a proxy too.

Production runs behind Caddy (TRUSTED_PROXY_COUNT=1): every request comes from the proxy's
address and the visitor's address is in X-Forwarded-For. These tests use that set-up.
"""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt

from django.core import mail
from django.test import Client
from django.utils import timezone

from members_area.models import LoginCode
from tests.members_area.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
MEMBER_LOGIN = "/nl/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def visitor(address):
    """A browser at ``address``, reaching the app through the proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def post_login(client, username, password, url=MEMBER_LOGIN):
    return client.post(url, {"username": username, "password": password})


def logged_in(client):
    return "_auth_user_id" in client.session


def test_failures_of_many_visitors_behind_one_proxy_lock_out_nobody_else(world):
    for number in range(25):
        response = post_login(
            visitor(f"198.51.100.{number + 1}"), f"iemand{number}@example.org", "fout"
        )
        assert response.status_code == 200
    member = visitor("203.0.113.50")
    response = post_login(member, "anna@example.org", PASSWORD)
    assert response.status_code == 302
    assert logged_in(member)


def test_a_flood_from_one_address_locks_that_address_only(world):
    flooder = visitor("198.51.100.66")
    for number in range(20):
        post_login(flooder, f"iemand{number}@example.org", "fout")
    response = post_login(flooder, "anna@example.org", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(flooder)
    # The same member from her own address is not affected.
    member = visitor("203.0.113.50")
    assert post_login(member, "anna@example.org", PASSWORD).status_code == 302


def test_without_trusted_proxies_a_made_up_header_does_not_dodge_the_address_limit(world, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(20):
        client = Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        post_login(client, f"iemand{number}@example.org", "fout")
    client = Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert post_login(client, "anna@example.org", PASSWORD).status_code == 429


def test_guesses_at_one_account_from_many_addresses_lock_that_account(world):
    for number in range(5):
        post_login(visitor(f"198.51.100.{number + 1}"), "anna@example.org", "fout")
    anna = visitor("203.0.113.50")
    response = post_login(anna, "anna@example.org", PASSWORD)
    assert response.status_code == 429
    assert "over 15 minuten opnieuw" in response.content.decode()
    # Another member from one of the guessing addresses logs in as usual.
    bert = visitor("198.51.100.1")
    assert post_login(bert, "bert@example.org", PASSWORD).status_code == 302


def test_admin_login_is_limited_too_and_the_right_password_waits_for_the_lock(world):
    attacker = visitor("198.51.100.9")
    for _attempt in range(15):
        post_login(attacker, "anna@example.org", "raden-123", url=ADMIN_LOGIN)
    # The member, from her own address, with the right password: refused for the lock period,
    # on the admin and on the member login alike.
    anna = visitor("203.0.113.50")
    response = post_login(anna, "anna@example.org", PASSWORD, url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert "te vaak een verkeerde poging" in response.content.decode()
    assert not logged_in(anna)
    assert post_login(anna, "anna@example.org", PASSWORD).status_code == 429
    # 14 minutes later still locked; after the lock period the password works again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert post_login(anna, "anna@example.org", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert post_login(anna, "anna@example.org", PASSWORD).status_code == 302
    assert logged_in(anna)


def test_only_the_lock_evaluates_no_passwords(world, monkeypatch):
    from members_area.backends import EmailBackend

    checked = []
    original = EmailBackend.authenticate

    def counting(self, request, *args, **kwargs):
        checked.append(1)
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(EmailBackend, "authenticate", counting)
    attacker = visitor("198.51.100.9")
    for _attempt in range(50):
        post_login(attacker, "anna@example.org", "raden-123")
    assert len(checked) == 5


def test_unknown_and_real_accounts_lock_alike(world):
    for address in ("anna@example.org", "niemand@example.org"):
        client = visitor("198.51.100.9" if "anna" in address else "198.51.100.10")
        answers = [post_login(client, address, "fout").status_code for _attempt in range(6)]
        assert answers == [200, 200, 200, 200, 429, 429], address


def test_a_locked_member_gets_in_with_an_emailed_code(world):
    attacker = visitor("198.51.100.9")
    for _attempt in range(5):
        post_login(attacker, "anna@example.org", "raden-123")
    anna = visitor("203.0.113.50")
    assert post_login(anna, "anna@example.org", PASSWORD).status_code == 429
    assert anna.post("/nl/login/code/", {"email": "anna@example.org"}).status_code == 302
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    response = anna.post("/nl/login/code/invoeren/", {"code": code})
    assert response.status_code == 302
    assert int(anna.session["_auth_user_id"]) == world.users["member_a"].pk


def test_wrong_codes_are_counted_by_the_same_limiter(world):
    client = visitor("198.51.100.9")
    client.post("/nl/login/code/", {"email": "anna@example.org"})
    answers = []
    for _attempt in range(6):
        # A fresh code each time, so that the code's own 5 tries never run out first.
        LoginCode.objects.update(attempts=0)
        answers.append(client.post("/nl/login/code/invoeren/", {"code": "000001"}).status_code)
    assert answers[-1] == 429
    assert AccessAttempt.objects.filter(username__startswith="code:").exists()


def test_admin_logout_by_get_deletes_nothing(client, world):
    client.force_login(world.users["member_a"])
    session_key = client.cookies["sessionid"].value
    response = client.get("/admin/logout/")
    assert response.status_code == 405
    assert "sessionid" not in response.cookies
    assert client.cookies["sessionid"].value == session_key
    assert logged_in(client)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert not logged_in(client)


def test_the_admins_forgotten_password_form_is_limited_too(world):
    client = visitor("198.51.100.9")
    for _attempt in range(8):
        response = client.post("/admin/password_reset/", {"email": "anna@example.org"})
        assert response.status_code == 302
    assert len(mail.outbox) == 6
