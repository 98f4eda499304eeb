"""Members manage themselves: phone, consents and "bel mij liever" on Mijn profiel, and a new
e-mail address that becomes the login only after a signed, time-limited, single-use link."""

import io
import re
from datetime import timedelta
from unittest import mock

import pytest
from pypdf import PdfReader

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members_area.membership import self_service
from members_area.membership.models import Membership
from members_area.subscriptions.models import Subscriber
from members_area.subscriptions.services import sync_member_user
from tests.members_area.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROFILE = "/nl/mijn-profiel/"


def profile_data(**overrides):
    data = {
        "first_name": "Anna",
        "last_name": "de Boer",
        "phone": "020 111 11 11",
        "street_address": "Zonnehof 3",
        "postcode": "1097 AB",
        "city": "Amsterdam",
        "language": "nl",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def link_from(message):
    return re.search(r"https?://\S+/e-mailadres-bevestigen/\S+/", message.body).group(0)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the e-mails that go out after the commit, as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_member_sets_phone_consents_and_prefers_phone(client, membership_world):
    world = membership_world
    client.force_login(world.users["member_a"])
    page = client.get(PROFILE).content.decode()
    assert "Bel mij liever" in page and "Mijn adres mag op de lijst" in page
    response = client.post(
        PROFILE,
        profile_data(
            phone="06 4444 4444", listed_consent="on", share_address="on", prefers_phone="on"
        ),
    )
    assert response.status_code == 302
    member = world.users["member_a"].member
    member.refresh_from_db()
    assert (member.phone, member.listed_consent) == ("06 4444 4444", True)
    # Made by hand in the admin, so the membership record is made on first use.
    membership = Membership.objects.get(member=member)
    assert (membership.share_address, membership.prefers_phone) == (True, True)
    assert membership.stadsdorp_id == world.stadsdorp.pk

    # The contact person sees it on the printable list, with the address now shared.
    client.force_login(world.users["contact_a"])
    pdf = client.get(reverse("membership:binnenbuurt_list_pdf", args=[world.a.pk]))
    text = "".join(page.extract_text() for page in PdfReader(pdf_bytes(pdf)).pages)
    assert "06 4444 4444 (belt liever)" in text.replace("\n", " "), text
    assert "Zonnehof 3" in text

    # Taking the consents back takes them off the list again.
    client.force_login(world.users["member_a"])
    client.post(PROFILE, profile_data(phone="06 4444 4444"))
    membership.refresh_from_db()
    member.refresh_from_db()
    assert (member.listed_consent, membership.share_address, membership.prefers_phone) == (
        False,
        False,
        False,
    )


def pdf_bytes(response):
    return io.BytesIO(response.content)


def test_profile_errors_are_summarised_and_keep_the_input(client, membership_world):
    client.force_login(membership_world.users["member_a"])
    response = client.post(PROFILE, profile_data(first_name="", phone="06 1"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="error-summary' in content
    assert 'href="#id_first_name"' in content
    assert 'value="06 1"' in content


def test_email_change_is_confirmed_from_the_new_address(client, membership_world, committed):
    world = membership_world
    anna = world.users["member_a"]
    sync_member_user(anna)
    client.force_login(anna)
    with committed():
        response = client.post(
            reverse("membership:email_change"), {"email": "Anna.Nieuw@Example.org"}
        )
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.email == "anna@example.org"  # nothing changes before the link is used
    (message,) = mail.outbox
    assert message.to == ["anna.nieuw@example.org"]
    link = link_from(message)
    assert "anna" not in link.lower()  # no personal data in the link

    # Opening the link changes nothing (a mail scanner may open it); the button does.
    client.logout()
    assert client.get(path_of(link)).status_code == 200
    anna.refresh_from_db()
    assert anna.email == "anna@example.org"
    with committed():
        response = client.post(path_of(link))
    assert response.status_code == 302
    anna.refresh_from_db()
    assert (anna.email, anna.username) == ("anna.nieuw@example.org", "anna.nieuw@example.org")
    assert Subscriber.objects.get(user=anna).email == "anna.nieuw@example.org"
    notice = mail.outbox[-1]
    assert notice.to == ["anna@example.org"]  # the old address is told
    assert "gewijzigd" in notice.subject

    # Single use: a second post changes nothing and is no error.
    with committed():
        assert client.post(path_of(link)).status_code == 302
    assert len(mail.outbox) == 2
    # The new address logs in, the old one no longer.
    client.logout()
    old = client.post("/nl/login/", {"username": "anna@example.org", "password": PASSWORD})
    assert old.status_code == 200  # the form again: the old address no longer logs in
    new = client.post("/nl/login/", {"username": "anna.nieuw@example.org", "password": PASSWORD})
    assert new.status_code == 302


def test_taken_address_is_refused_in_dutch(client, membership_world):
    world = membership_world
    client.force_login(world.users["member_a"])
    response = client.post(reverse("membership:email_change"), {"email": "BERT@example.org"})
    assert response.status_code == 200
    assert "hoort al bij een ander account" in response.content.decode()
    assert 'value="BERT@example.org"' in response.content.decode()
    assert not mail.outbox
    for bad in ("geen-adres", "anna@example.org", ""):
        response = client.post(reverse("membership:email_change"), {"email": bad})
        assert response.status_code == 200
        assert 'class="error-summary' in response.content.decode()


def test_address_taken_in_between_is_refused_at_confirmation(client, membership_world, committed):
    world = membership_world
    anna = world.users["member_a"]
    with committed():
        self_service.request_email_change(anna, "vrij@example.org")
    link = link_from(mail.outbox[0])
    get_user_model().objects.create_user(username="vrij@example.org", email="vrij@example.org")
    response = client.post(path_of(link))
    assert response.status_code == 200
    assert "hoort al bij een ander account" in response.content.decode()
    anna.refresh_from_db()
    assert anna.email == "anna@example.org"


def test_links_expire_are_replaced_and_cannot_be_forged(client, membership_world, committed):
    world = membership_world
    anna = world.users["member_a"]
    with committed():
        self_service.request_email_change(anna, "eerste@example.org")
    first = path_of(link_from(mail.outbox[0]))
    with committed():
        self_service.request_email_change(anna, "tweede@example.org")
    second = path_of(link_from(mail.outbox[1]))
    # A newer request replaces the older one.
    assert "werkt niet" in client.get(first).content.decode()
    assert "werkt niet" in client.post(first).content.decode()
    # A tampered token and garbage are refused the same way, never a 500.
    for path in (second[:-3] + "xx/", "/nl/e-mailadres-bevestigen/%00%ff/"):
        response = client.post(path)
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            assert "werkt niet" in response.content.decode()
    # 48 hours later the link is dead.
    later = timezone.now() + self_service.EMAIL_LINK_VALID_FOR + timedelta(minutes=1)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert "werkt niet" in client.post(second).content.decode()
    anna.refresh_from_db()
    assert anna.email == "anna@example.org"
    assert client.post(second).status_code == 302  # within the time it works
    anna.refresh_from_db()
    assert anna.email == "tweede@example.org"


def test_email_change_needs_login_and_is_throttled(client, membership_world, committed):
    response = client.get(reverse("membership:email_change"))
    assert response.status_code == 302 and "/nl/login/" in response["Location"]
    client.force_login(membership_world.users["member_a"])
    statuses = []
    for number in range(4):
        with committed():
            response = client.post(
                reverse("membership:email_change"), {"email": f"nieuw{number}@example.org"}
            )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
