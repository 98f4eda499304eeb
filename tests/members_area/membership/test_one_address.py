"""A member's address is kept once (``Member.street_address``, ``postcode``, ``city``): what the
member types in "Mijn profiel" is what the labels, the binnenbuurt's list, the exports and the
member screen show; the migration that merged the two old copies keeps every address."""

import csv
import io

import pytest
from pypdf import PdfReader

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from home.models import StadsdorpPage
from members_area.models import Member
from tests.conftest import login_with_second_factor
from tests.members_area import test_subscriptions_fixtures as fixtures
from tests.members_area.membership.test_administration import add_member

globals().update(fixtures.FIXTURES)

PROFILE = "/nl/mijn-profiel/"


def pdf_text(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return text.replace("\n", " ")


def profile_form(**overrides):
    data = {
        "first_name": "Verhuizer",
        "last_name": "Test",
        "phone": "020 777 77 77",
        "street_address": "Kruislaan 5",
        "postcode": "1098 sm",
        "city": "Amsterdam",
        "listed_consent": "on",
        "share_address": "on",
        "paper_newsletter": "on",
        "language": "nl",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def mover(membership_world):
    """A member of binnenbuurt A who gets the newsletter on paper and shares the address."""
    member = add_member(
        membership_world,
        membership_world.a,
        "Verhuizer",
        email="verhuizer@example.org",
        phone="020 777 77 77",
        listed_consent=True,
        share_address=True,
        paper_newsletter=True,
        street_address="Ringdijk 12",
        postcode="1097AB",
    )
    return member


@pytest.mark.django_db
def test_a_move_in_the_profile_reaches_labels_list_and_exports(
    client, membership_world, mover, make_issue
):
    world = membership_world
    client.force_login(mover.user)
    page = client.get(PROFILE).content.decode()
    assert 'value="Ringdijk 12"' in page and 'value="1097 AB"' in page
    response = client.post(PROFILE, profile_form())
    assert response.status_code == 302
    mover.refresh_from_db()
    assert (mover.street_address, mover.postcode, mover.city) == (
        "Kruislaan 5",
        "1098SM",
        "Amsterdam",
    )

    # The paper newsletter's labels (an administrator may send the issue and sees every stadsdorp).
    issue = make_issue(title="Nieuwsbrief januari")
    login_with_second_factor(client, world.users["admin"])
    labels = pdf_text(client.get(reverse("membership:newsletter_labels", args=[issue.pk])))
    assert "Verhuizer Test Kruislaan 5 1098 SM Amsterdam" in labels
    assert "Ringdijk 12" not in labels

    # The coordinator's export and member screen, and the binnenbuurt's printable list.
    client.force_login(world.users["coordinator_x"])
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("membership:members_csv")).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    row = next(row for row in rows if row[0] == "Verhuizer")
    assert row[4:7] == ["Kruislaan 5", "1098 SM", "Amsterdam"]
    detail = client.get(reverse("membership:member", args=[mover.pk])).content.decode()
    assert "Kruislaan 5, 1098 SM Amsterdam" in detail and "Ringdijk 12" not in detail
    client.force_login(world.users["contact_a"])
    listed = pdf_text(client.get(reverse("membership:binnenbuurt_list_pdf", args=[world.a.pk])))
    assert "Kruislaan 5, 1098 SM Amsterdam" in listed and "Ringdijk 12" not in listed

    # "Download alle gegevens" holds the same one address.
    client.force_login(mover.user)
    data = client.get("/nl/mijn-profiel/mijn-gegevens.json").json()
    assert data["member"]["street_address"] == "Kruislaan 5"
    assert data["member"]["postcode"] == "1098 SM"
    assert data["membership"]["share_address"] is True


@pytest.mark.django_db
def test_share_address_still_decides_who_sees_the_address(client, membership_world, mover):
    world = membership_world
    client.force_login(mover.user)
    assert client.post(PROFILE, profile_form(share_address=None)).status_code == 302
    mover.membership.refresh_from_db()
    assert not mover.membership.share_address
    client.force_login(world.users["contact_a"])
    listed = pdf_text(client.get(reverse("membership:binnenbuurt_list_pdf", args=[world.a.pk])))
    assert "Verhuizer" in listed and "020 777 77 77" in listed  # name and phone: consented
    assert "Kruislaan" not in listed and "1098" not in listed
    # The other binnenbuurt's members and the other stadsdorp's coordinator get no list at all.
    for role in ("member_b", "coordinator_y"):
        client.force_login(world.users[role])
        response = client.get(reverse("membership:binnenbuurt_list_pdf", args=[world.a.pk]))
        assert response.status_code == 403, role


@pytest.mark.django_db
def test_profile_address_errors_in_dutch_keep_the_input(client, membership_world, mover):
    client.force_login(mover.user)
    response = client.post(PROFILE, profile_form(street_address="Kruislaan 5", postcode="10985"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Er is iets niet goed ingevuld" in page
    assert 'href="#id_postcode"' in page
    assert "Een postcode is 4 cijfers en 2 letters, bijvoorbeeld 1097 AB." in page
    assert 'value="10985"' in page and 'value="Kruislaan 5"' in page
    response = client.post(PROFILE, profile_form(postcode=""))
    assert "Vul ook uw postcode in." in response.content.decode()
    response = client.post(PROFILE, profile_form(street_address=""))
    assert "Vul ook uw straat en huisnummer in." in response.content.decode()
    mover.refresh_from_db()
    assert mover.street_address == "Ringdijk 12"  # nothing was saved
    # Taking the whole address out is allowed (it is not required).
    empty = profile_form(street_address="", postcode="", city="")
    assert client.post(PROFILE, empty).status_code == 302
    mover.refresh_from_db()
    assert (mover.street_address, mover.postcode, mover.city) == ("", "", "")


@pytest.mark.django_db
def test_the_admin_normalises_the_postcode(membership_world):
    member = Member.objects.get(user=membership_world.users["member_a"])
    member.postcode = " 1097 ab "
    member.save()
    member.refresh_from_db()
    assert (member.postcode, member.postcode_display) == ("1097AB", "1097 AB")


# --- The migration that merged the two copies ------------------------------------------------

BEFORE = [("members_area", "0004_member_address_parts"), ("membership", "0004_contributions")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_address(wagtail_roots, membership_world):
    # A transactional test: wagtail_roots puts back the root page an earlier one's flush removed.
    stadsdorp_id = membership_world.stadsdorp.pk
    assert StadsdorpPage.objects.filter(pk=stadsdorp_id).exists()
    users = {
        name: get_user_model().objects.create_user(username=f"{name}@migratie.example")
        for name in ("same", "moved", "no_membership", "profile_empty", "no_postcode", "street")
    }
    # (the profile's line, the membership's street, postcode, place or None: no membership)
    before = {
        "same": ("Ringdijk 12, 1097 AB Amsterdam", ("Ringdijk 12", "1097AB", "Amsterdam")),
        "moved": ("Kruislaan 5, 1098 SM Amsterdam", ("Ringdijk 12", "1097AB", "Amsterdam")),
        "no_membership": ("Zonnehof 3, 1015ab Amsterdam", None),
        "profile_empty": ("", ("Lindengracht 22", "1015KE", "Amsterdam")),
        "no_postcode": ("Nieuwe Weg 5", ("Ringdijk 1", "1097AB", "Amsterdam")),
        "street": ("Ringdijk 7", ("Ringdijk 7", "1097AB", "Amsterdam")),
    }
    expected = {
        "same": ("Ringdijk 12", "1097AB", "Amsterdam"),
        "moved": ("Kruislaan 5", "1098SM", "Amsterdam"),  # the profile's: edited last
        "no_membership": ("Zonnehof 3", "1015AB", "Amsterdam"),
        "profile_empty": ("Lindengracht 22", "1015KE", "Amsterdam"),
        "no_postcode": ("Nieuwe Weg 5", "", "Amsterdam"),  # never the old postcode
        "street": ("Ringdijk 7", "1097AB", "Amsterdam"),
    }
    try:
        old = _migrate(BEFORE)
        OldMember = old.get_model("members_area", "Member")
        OldMembership = old.get_model("membership", "Membership")
        for name, (line, held) in before.items():
            member = OldMember.objects.create(user_id=users[name].pk, address=line)
            if held is not None:
                street, postcode, city = held
                OldMembership.objects.create(
                    member=member,
                    stadsdorp_id=stadsdorp_id,
                    street_address=street,
                    postcode=postcode,
                    city=city,
                )
        _migrate(_leaves())
        for name, address in expected.items():
            member = Member.objects.get(user=users[name])
            assert (member.street_address, member.postcode, member.city) == address, name

        # And back: both old fields hold the one address again.
        old = _migrate(BEFORE)
        member = old.get_model("members_area", "Member").objects.get(user_id=users["moved"].pk)
        assert member.address == "Kruislaan 5, 1098 SM Amsterdam"
        assert member.membership.street_address == "Kruislaan 5"
    finally:
        _migrate(_leaves())
