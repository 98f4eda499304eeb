"""The member's own profile, data download, removal request and the administrators' CSV."""

import json
import re

import pytest

from django.core import mail
from django.urls import reverse

from events.factories import RegistrationFactory
from events.models import Registration
from events.signup import registration_from_token
from members_area.models import AccountRemovalRequest
from members_area.subscriptions.models import Subscriber
from tests.conftest import login_with_second_factor
from tests.members_area.conftest import add_news

pytestmark = pytest.mark.django_db


def test_profile_requires_login(client, world):
    response = client.get("/nl/mijn-profiel/")
    assert response.status_code == 302
    assert response["Location"].startswith("/nl/login/?next=")


def test_member_edits_own_profile(client, world):
    client.force_login(world.users["member_a"])
    response = client.post(
        "/nl/mijn-profiel/",
        {
            "first_name": "Anna",
            "last_name": "de Vries",
            "phone": "020 999 99 99",
            "street_address": "Zonnehof 3",
            "postcode": "1097 AB",
            "city": "Amsterdam",
            "listed_consent": "on",
            "language": "en",
        },
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    member = world.users["member_a"].member
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert (member.phone, member.listed_consent, member.language) == ("020 999 99 99", True, "en")
    assert member.user.last_name == "de Vries"


def test_member_list_shows_only_consenting_members_to_the_binnenbuurt(client, world):
    member = world.users["member_a"].member
    member.listed_consent = True
    member.save()
    client.force_login(world.users["contact_a"])
    content = client.get(world.page_a.url).content.decode()
    assert "Ledenlijst" in content
    assert "020 111 11 11" in content  # Anna consented
    assert "06 12345678" in content  # Carla is a contact person: shown as such
    assert content.count("<tr>") == 2  # header + Anna: Carla did not consent to the list


def test_download_own_data(client, world):
    client.force_login(world.users["member_a"])
    response = client.get("/nl/mijn-profiel/mijn-gegevens.json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == "anna@example.org"
    assert data["member"]["binnenbuurt"] == "Zonnehof"
    assert data["member"]["phone"] == "020 111 11 11"


def test_removal_request_notifies_administrators(client, world):
    client.force_login(world.users["member_a"])
    response = client.post("/nl/mijn-profiel/verwijderen/", {"reason": "Ik verhuis"})
    assert "Vink dit vakje aan" in response.content.decode()
    response = client.post(
        "/nl/mijn-profiel/verwijderen/", {"reason": "Ik verhuis", "confirm": "on"}
    )
    assert response.status_code == 302
    assert AccountRemovalRequest.objects.get().user == world.users["member_a"]
    assert mail.outbox[0].to == ["admin@example.org"]
    assert "anna@example.org" in mail.outbox[0].body


@pytest.mark.parametrize("role", ["member_a", "contact_a", "editor"])
def test_csv_export_is_for_administrators_only(client, world, role):
    login_with_second_factor(client, world.users[role])
    response = client.get(reverse("members_area_export_csv"))
    assert response.status_code != 200


def test_csv_export_for_administrator(client, world):
    member = world.users["member_a"].member
    member.street_address = '=HYPERLINK("http://x")'
    member.save()
    login_with_second_factor(client, world.users["admin"])
    response = client.get(reverse("members_area_export_csv"))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Voornaam;Achternaam;E-mailadres")
    assert len(lines) == 4  # header + three members
    assert "'=HYPERLINK" in text


def test_my_signups_lists_own_coming_signups_with_a_cancel_link(client, world):
    anna = world.users["member_a"]
    coming = RegistrationFactory(
        event__parent=world.home, name="Anna", email="ANNA@example.org", number_of_people=2
    )
    RegistrationFactory(
        event__parent=world.home,
        event__title="Wachtlijstbingo",
        created_by=anna,
        email="",
        status=Registration.Status.WAITLISTED,
    )
    RegistrationFactory(
        event__parent=world.home,
        event__title="Al afgemeld",
        email="anna@example.org",
        status=Registration.Status.CANCELLED,
    )
    RegistrationFactory(event__parent=world.home, event__title="Van Bert", email="bert@example.org")
    client.force_login(anna)

    response = client.get("/nl/mijn-aanmeldingen/")

    content = response.content.decode()
    assert coming.event.title in content and "Aangemeld voor 2 personen" in content
    assert "Wachtlijstbingo" in content and "U staat op de wachtlijst" in content
    assert "Al afgemeld" not in content and "Van Bert" not in content
    # The token carries the second it was signed in, so the page's own links are read back
    # rather than compared with a token made here a moment later.
    cancel_prefix = reverse("events:cancel", args=["TOKEN"]).split("TOKEN")[0]
    cancelled_by_link = {
        registration_from_token(token): token
        for token in re.findall(re.escape(cancel_prefix) + r'([^/"]+)/', content)
    }
    assert coming in cancelled_by_link
    cancel_url = reverse("events:cancel", args=[cancelled_by_link[coming]])

    client.post(cancel_url)
    coming.refresh_from_db()
    assert coming.status == Registration.Status.CANCELLED
    assert coming.event.title not in client.get("/nl/mijn-aanmeldingen/").content.decode()


def test_my_signups_requires_login_and_is_linked_for_members(client, world):
    assert client.get("/nl/mijn-aanmeldingen/").status_code == 302
    client.force_login(world.users["member_a"])
    assert 'href="/nl/mijn-aanmeldingen/"' in client.get("/nl/mijn-profiel/").content.decode()
    assert "U heeft zich nu niet aangemeld" in client.get("/nl/mijn-aanmeldingen/").content.decode()


def test_downloaded_data_holds_signups_newsletter_and_posts(client, world):
    anna = world.users["member_a"]
    RegistrationFactory(
        event__parent=world.home,
        event__title="Koffieochtend",
        email="anna@example.org",
        phone="020 111 11 11",
    )
    RegistrationFactory(event__parent=world.home, event__title="Van Bert", email="bert@example.org")
    Subscriber.objects.update_or_create(
        email="anna@example.org", defaults={"status": Subscriber.Status.ACTIVE}
    )
    add_news(world.page_a, "Anna's oproep", posted_by=anna)
    client.force_login(anna)

    data = json.loads(client.get("/nl/mijn-profiel/mijn-gegevens.json").content)

    assert [item["event"] for item in data["event_signups"]] == ["Koffieochtend"]
    assert data["event_signups"][0]["phone"] == "020 111 11 11"
    assert data["newsletter"]["email"] == "anna@example.org"
    assert data["newsletter"]["status"] == Subscriber.Status.ACTIVE
    assert [post["title"] for post in data["posts"]] == ["Anna's oproep"]


def test_my_signups_queries_do_not_grow_with_the_number_of_signups(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.factories import EventExceptionFactory

    anna = world.users["member_a"]
    client.force_login(anna)
    weekly = EventExceptionFactory(page__parent=world.home).page
    RegistrationFactory(event=weekly, created_by=anna, email="")
    client.get("/nl/mijn-aanmeldingen/")
    with CaptureQueriesContext(connection) as one:
        client.get("/nl/mijn-aanmeldingen/")
    for _ in range(3):
        RegistrationFactory(event__parent=world.home, created_by=anna, email="")
    with CaptureQueriesContext(connection) as four:
        response = client.get("/nl/mijn-aanmeldingen/")
    assert response.content.decode().count('class="member-signup"') == 4
    assert len(four) == len(one)
