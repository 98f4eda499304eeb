"""The treasurer ("penningmeester") of a stadsdorp: assigned beside its coordinators, keeps that
stadsdorp's contributions (overview, payments, amount, export, reminders, letters) and nothing else
of the administration; the menu links to the contributions. (Which screens answer whom is in
``test_access_matrix.py``.)"""

import csv
import io
from datetime import date

import pytest
from pypdf import PdfReader

from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from members_area.membership import contributions, services
from members_area.membership.models import Contribution, MembershipSettings
from members_area.membership.permissions import (
    may_keep_contributions,
    may_use_administration,
    role_flags,
)
from members_area.membership.wagtail_hooks import AdministrationMenuItem, ContributionsMenuItem
from members_area.models import Member
from members_area.services import enrol_member
from tests.conftest import login_with_second_factor
from tests.members_area.membership.test_administration import add_member

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
OVERVIEW = "/nl/ledenadministratie/contributie/"


@pytest.fixture
def books(membership_world):
    world = membership_world
    world.unpaid = add_member(world, world.a, "Open", email="open@example.org")
    world.paper = add_member(world, world.b, "Papier", street_address="Lindengracht 40")
    world.zuid_member = add_member(world, world.c, "Zuidlid", email="zuidlid@example.org")
    return world


def test_the_treasurer_keeps_only_their_own_stadsdorps_contributions(client, books):
    world = books
    treasurer = world.users["treasurer_x"]
    client.force_login(treasurer)
    page = client.get(OVERVIEW).content.decode()
    assert f"Contributie {YEAR} van Stadsdorp Noord" in page
    assert "Open Test" in page and "Zonnehof" in page
    assert "Zuidlid" not in page
    assert "Naar de ledenlijst" not in page  # the member administration is not theirs
    # Asking for Zuid by its number shows Noord's again, never Zuid's members.
    page = client.get(OVERVIEW, {"stadsdorp": world.zuid.pk}).content.decode()
    assert "Zuidlid" not in page and "Open Test" in page

    # A payment of a Noord member: recorded, by the treasurer.
    url = reverse("membership:contribution", args=[world.unpaid.pk, YEAR])
    response = client.post(url, {"status": "paid", "paid_on": "01-03-2026", "method": "cash"})
    assert response.status_code == 302
    row = Contribution.objects.get(membership__member=world.unpaid, year=YEAR)
    assert (row.status, row.recorded_by) == ("paid", treasurer)
    # A Zuid member's: refused, nothing written.
    url = reverse("membership:contribution", args=[world.zuid_member.pk, YEAR])
    assert client.post(url, {"status": "paid"}).status_code == 403
    assert not Contribution.objects.filter(membership__member=world.zuid_member).exists()

    # The amount and the period are theirs to keep too.
    response = client.post(
        f"{OVERVIEW}?stadsdorp={world.stadsdorp.pk}",
        {
            "action": "settings",
            "stadsdorp": world.stadsdorp.pk,
            "instellingen-contribution_amount": "7,50",
            "instellingen-contribution_period": "month",
            "instellingen-payment_instructions": "Graag overmaken.",
        },
    )
    assert response.status_code == 302
    assert str(MembershipSettings.objects.get(stadsdorp=world.stadsdorp).contribution_amount) == (
        "7.50"
    )


def test_the_treasurers_export_has_no_contact_details(client, books):
    world = books
    client.force_login(world.users["treasurer_x"])
    text = client.get(reverse("membership:contributions_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Voornaam", "Achternaam", "Binnenbuurt", "Jaar"]
    assert "E-mailadres" not in rows[0] and "Telefoonnummer" not in rows[0]
    assert any(row[:3] == ["Open", "Test", "Zonnehof"] for row in rows)
    assert "open@example.org" not in text and "020 000 00 00" not in text
    assert "Zuidlid" not in text
    # The coordinator's export of the same overview keeps them (they keep the member list).
    client.force_login(world.users["coordinator_x"])
    text = client.get(reverse("membership:contributions_csv")).content.decode("utf-8-sig")
    assert "E-mailadres" in text and "open@example.org" in text


def test_the_treasurer_sends_reminders_and_prints_letters_for_their_stadsdorp(
    client, books, django_capture_on_commit_callbacks
):
    world = books
    contributions.record(world.zuid_member, YEAR, status="open")
    client.force_login(world.users["treasurer_x"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{OVERVIEW}?status=open", {"action": "remind", "stadsdorp": world.zuid.pk}
        )
    assert response.status_code == 302
    recipients = {message.to[0] for message in mail.outbox}
    assert "open@example.org" in recipients
    assert "zuidlid@example.org" not in recipients
    # Letters for the members without e-mail: their address, for a window envelope.
    response = client.get(reverse("membership:contribution_letters"))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Papier Test" in text and "Lindengracht 40" in text and "1097 AB Amsterdam" in text


def test_the_menu_links_a_treasurer_to_the_contributions(client, books):
    world = books
    treasurer = world.users["treasurer_x"]
    enrol_member(Member.objects.create(user=treasurer, binnenbuurt=world.a))  # lives in A

    def links(role):
        client.force_login(world.users[role])
        home = client.get(world.members_area.url).content.decode()
        profile = client.get("/nl/mijn-profiel/").content.decode()
        return {
            name: (f'href="{url}"' in home, f'href="{url}"' in profile)
            for name, url in (
                ("contributions", OVERVIEW),
                ("applications", reverse("membership:queue")),
            )
        }

    assert links("treasurer_x") == {"contributions": (True, True), "applications": (False, False)}
    assert links("member_a") == {"contributions": (False, False), "applications": (False, False)}
    assert links("contact_a") == {"contributions": (False, False), "applications": (True, True)}
    # A coordinator without a binnenbuurt of their own: the profile asks the database.
    client.force_login(world.users["coordinator_x"])
    profile = client.get("/nl/mijn-profiel/").content.decode()
    assert f'href="{OVERVIEW}"' in profile and f'href="{reverse("membership:queue")}"' in profile

    # The admin's menu: the contributions for the treasurer, not the applications.
    request = RequestFactory().get("/")
    request.user = treasurer
    assert ContributionsMenuItem("x", "/").is_shown(request)
    assert not AdministrationMenuItem("x", "/").is_shown(request)
    request.user = world.users["member_a"]
    assert not ContributionsMenuItem("x", "/").is_shown(request)


def test_editors_assign_treasurers_where_coordinators_are_assigned(client, membership_world):
    world = membership_world
    row = MembershipSettings.objects.get(stadsdorp=world.stadsdorp)
    login_with_second_factor(client, world.users["admin"])
    url = reverse("wagtailsnippets_membership_membershipsettings:edit", args=[row.pk])
    page = client.get(url).content.decode()
    assert "Coördinatoren" in page and "Penningmeesters" in page
    response = client.post(
        url,
        {
            "stadsdorp": world.stadsdorp.pk,
            "coordinators": [world.users["coordinator_x"].pk],
            "treasurers": [world.users["member_b"].pk],
            "accepts_applications": "on",
            "retention_days": "365",
            "contribution_amount": "",
            "contribution_period": "month",
            "payment_instructions": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(row.treasurers.all()) == [world.users["member_b"]]
    client.force_login(world.users["member_b"])
    assert client.get(OVERVIEW).status_code == 200
    assert client.get(reverse("membership:queue")).status_code == 403


def test_a_treasurer_who_stops_being_a_member_keeps_the_account(membership_world):
    world = membership_world
    treasurer = world.users["treasurer_x"]
    member = enrol_member(Member.objects.create(user=treasurer, binnenbuurt=world.a))
    services.end_membership(member, world.users["coordinator_x"], ended_on=date(2026, 1, 1))
    treasurer.refresh_from_db()
    assert treasurer.is_active  # still the treasurer: the account stays


def test_the_member_home_gives_roles_without_a_binnenbuurt_the_same_links(
    client, books, django_assert_max_num_queries
):
    """Without a binnenbuurt the member home and the profile page read the roles in one query
    (``role_flags``), by the same rules as the administration's own checks."""
    world = books
    queue = reverse("membership:queue")

    def home_and_profile(user):
        coordinates, treasurer, contact = role_flags(user)
        assert (coordinates or contact, coordinates or treasurer) == (
            may_use_administration(user),
            may_keep_contributions(user),
        )
        client.force_login(user)
        home = client.get(world.members_area.url).content.decode()
        profile = client.get("/nl/mijn-profiel/").content.decode()
        return [
            (f'href="{OVERVIEW}"' in page, f'href="{queue}"' in page) for page in (home, profile)
        ]

    # A coordinator and a treasurer with no binnenbuurt of their own.
    assert home_and_profile(world.users["coordinator_x"]) == [(True, True), (True, True)]
    assert home_and_profile(world.users["treasurer_x"]) == [(True, False), (True, False)]
    # A contact person of a binnenbuurt whose members group they are not in.
    outsider = add_member(world, world.c, "Buiten", email="buiten@example.org").user
    outsider.groups.clear()
    world.b.stand_in = outsider
    world.b.save()
    assert home_and_profile(outsider) == [(False, True), (False, True)]
    # Someone with no binnenbuurt and no role: no links.
    plain = add_member(world, world.c, "Gewoon", email="gewoon@example.org").user
    plain.groups.clear()
    assert home_and_profile(plain) == [(False, False), (False, False)]

    with django_assert_max_num_queries(1):
        assert role_flags(world.users["coordinator_x"]) == (True, False, False)
