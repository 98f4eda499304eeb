"""The coordinators' member administration: list and filters in constant queries, move, end with
retention, exports that cannot carry formulas, printable lists with consented fields only."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members_area.membership import services
from members_area.membership.member_views import PAGE_SIZE
from members_area.membership.models import Application, Membership, MembershipSettings
from members_area.models import Member
from members_area.services import enrol_member
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db


def add_member(world, binnenbuurt, first_name, email="", **membership_fields):
    user = get_user_model().objects.create_user(
        username=email or f"lid-{first_name.lower()}",
        email=email,
        first_name=first_name,
        last_name="Test",
    )
    member = enrol_member(
        Member.objects.create(
            user=user,
            binnenbuurt=binnenbuurt,
            phone=membership_fields.pop("phone", "020 000 00 00"),
            # The member's one address (Member.street_address, postcode, city).
            street_address=membership_fields.pop("street_address", "Ringdijk 1"),
            postcode=membership_fields.pop("postcode", "1097AB"),
            city=membership_fields.pop("city", "Amsterdam"),
            listed_consent=membership_fields.pop("listed_consent", False),
        )
    )
    Membership.objects.create(member=member, stadsdorp=binnenbuurt.stadsdorp, **membership_fields)
    return member


def member_list(client, **params):
    return client.get(reverse("membership:members"), params)


def test_only_coordinators_see_the_member_list(client, membership_world):
    world = membership_world
    add_member(world, world.c, "Zuidlid")
    for role, status in [("member_a", 403), ("contact_a", 403), ("coordinator_y", 200)]:
        client.force_login(world.users[role])
        response = member_list(client)
        assert response.status_code == status, role
    content = response.content.decode()
    assert "Zuidlid" in content
    assert "Anna" not in content  # Noord's members are not Yusuf's business
    # Asking for another stadsdorp by its number shows one's own.
    response = member_list(client, stadsdorp=world.stadsdorp.pk)
    assert "Anna" not in response.content.decode()
    client.force_login(world.users["coordinator_x"])
    assert "Anna" in member_list(client).content.decode()
    assert client.get(reverse("membership:member", args=[world.a.members.first().pk]))
    other = Member.objects.get(user__first_name="Zuidlid")
    response = client.get(reverse("membership:member", args=[other.pk]))
    assert response.status_code == 403


def test_filters(client, membership_world):
    world = membership_world
    add_member(world, world.a, "Postlid")
    add_member(world, world.b, "Vertrokken", status=Membership.Status.ENDED, ended_on=date.today())
    client.force_login(world.users["coordinator_x"])
    content = member_list(client, binnenbuurt=world.a.pk).content.decode()
    assert "Postlid" in content and "Anna" in content and "Bert" not in content
    content = member_list(client, email="no").content.decode()
    assert "Postlid" in content and "Anna" not in content
    content = member_list(client).content.decode()
    assert "Vertrokken" not in content
    content = member_list(client, status="ended").content.decode()
    assert "Vertrokken" in content and "Anna" not in content
    content = member_list(client, q="post").content.decode()
    assert "Postlid" in content and "Anna" not in content
    # Nonsense in the filters is ignored, never a 500.
    assert member_list(client, binnenbuurt="x' OR 1=1", status="?", pagina="-4").status_code == 200


def test_member_list_reads_a_page_in_constant_queries(client, membership_world):
    world = membership_world
    client.force_login(world.users["coordinator_x"])
    member_list(client)  # warm the session and the site

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert member_list(client).status_code == 200
        return len(context)

    few = queries()
    for number in range(60):
        add_member(world, world.a if number % 2 else world.b, f"Lid{number}")
    assert queries() == few


def test_move_to_another_binnenbuurt(client, membership_world):
    world = membership_world
    member = world.a.members.get(user=world.users["member_a"])
    client.force_login(world.users["coordinator_x"])
    url = reverse("membership:member", args=[member.pk])
    response = client.post(url, {"action": "move", "binnenbuurt": world.b.pk})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.binnenbuurt == world.b
    user = member.user
    assert user.groups.filter(pk=world.b.members_group_id).exists()
    assert not user.groups.filter(pk=world.a.members_group_id).exists()
    # Another stadsdorp's binnenbuurt is not offered and not accepted.
    response = client.post(url, {"action": "move", "binnenbuurt": world.c.pk})
    member.refresh_from_db()
    assert member.binnenbuurt == world.b


def test_end_membership_then_data_removed_after_retention(
    client, membership_world, django_capture_on_commit_callbacks
):
    world = membership_world
    MembershipSettings.objects.filter(stadsdorp=world.stadsdorp).update(retention_days=30)
    member = world.a.members.get(user=world.users["member_a"])
    client.force_login(world.users["coordinator_x"])
    url = reverse("membership:member", args=[member.pk])
    response = client.post(url, {"action": "end", "ended_on": "31-02-2026", "confirm": "on"})
    assert "Schrijf de datum als dag-maand-jaar" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"action": "end", "ended_on": "01-12-2026", "reason": "verhuisd", "confirm": "on"},
        )
    assert response.status_code == 302
    membership = Membership.objects.get(member=member)
    assert membership.status == Membership.Status.ENDED
    assert membership.end_reason == "verhuisd"
    user = get_user_model().objects.get(pk=world.users["member_a"].pk)
    assert not user.is_active
    assert not user.groups.filter(pk=world.a.members_group_id).exists()
    told = mail.outbox[-1]
    assert told.to == ["anna@example.org"]
    assert "1 december 2026" in told.body and "30 dagen" in told.body

    # A declined application waits as long.
    application = Application.objects.create(
        stadsdorp=world.stadsdorp,
        first_name="Oud",
        last_name="Aanmelding",
        street_address="X 1",
        postcode="1097AB",
        status=Application.Status.DECLINED,
        decided_at=timezone.now(),
    )
    assert services.purge_expired(date(2026, 12, 30)) == (0, 0)
    assert services.purge_expired(timezone.localdate() + timedelta(days=31)) == (1, 1)
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not Application.objects.filter(pk=application.pk).exists()
    # A contact person keeps the account (their other role), only the member profile goes.
    carla = world.a.members.get(user=world.users["contact_a"])
    services.end_membership(carla, world.users["coordinator_x"], ended_on=date(2026, 1, 1))
    assert get_user_model().objects.get(pk=world.users["contact_a"].pk).is_active
    services.purge_expired(date(2027, 1, 1))
    assert get_user_model().objects.filter(pk=world.users["contact_a"].pk).exists()
    assert not Member.objects.filter(user=world.users["contact_a"]).exists()


def test_exports_are_formula_safe(client, membership_world):
    world = membership_world
    add_member(world, world.a, '=HYPERLINK("http://x")', street_address="+31 evil", city="@SUM")
    client.force_login(world.users["coordinator_x"])
    response = client.get(reverse("membership:members_csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="leden-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Voornaam"
    evil = next(row for row in rows if "HYPERLINK" in row[0])
    assert evil[0].startswith("'=") and evil[4] == "'+31 evil" and evil[6] == "'@SUM"
    names = {row[0] for row in rows[1:]}
    assert "Bert" in names and "Anna" in names

    response = client.get(reverse("membership:members_xlsx"), {"binnenbuurt": world.a.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    evil = next(row for row in values if "HYPERLINK" in (row[0] or ""))
    assert evil[0].startswith("'=")
    assert all(row[0] != "Bert" for row in values)  # the filter applies to the export

    client.force_login(world.users["coordinator_y"])
    response = client.get(reverse("membership:members_csv"))
    assert "Anna" not in response.content.decode("utf-8-sig")


def test_printable_list_holds_only_consented_fields(client, membership_world):
    world = membership_world
    add_member(
        world,
        world.a,
        "Deelt",
        phone="06 11111111",
        listed_consent=True,
        share_address=True,
        street_address="Kruislaan 5",
    )
    add_member(
        world,
        world.a,
        "Alleenfoon",
        phone="06 22222222",
        listed_consent=True,
        street_address="Geheimstraat 9",
    )
    add_member(world, world.a, "Geheim", phone="06 33333333", listed_consent=False)
    url = reverse("membership:binnenbuurt_list_pdf", args=[world.a.pk])
    for role, status in [("member_b", 403), ("coordinator_y", 403), ("contact_a", 200)]:
        client.force_login(world.users[role])
        response = client.get(url)
        assert response.status_code == status, role
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Ledenlijst Zonnehof" in text
    assert "Deelt" in text and "06 11111111" in text and "Kruislaan 5" in text
    assert "Alleenfoon" in text and "06 22222222" in text and "Geheimstraat" not in text
    assert "Geheim Test" not in text and "06 33333333" not in text
    assert "leden staan niet op deze lijst" in text
    client.force_login(world.users["coordinator_x"])
    assert client.get(url).status_code == 200


def test_admin_sees_every_stadsdorp(client, membership_world):
    world = membership_world
    login_with_second_factor(client, world.users["admin"])
    assert member_list(client, stadsdorp=world.zuid.pk).status_code == 200


def test_member_list_is_paged_and_each_page_costs_the_same_queries(client, membership_world):
    world = membership_world
    for number in range(PAGE_SIZE + 5):
        add_member(world, world.a, f"Paginalid{number:03d}")
    client.force_login(world.users["coordinator_x"])
    member_list(client)
    member_list(client)  # the session, and the site this process keeps

    def page(number):
        with CaptureQueriesContext(connection) as context:
            response = member_list(client, pagina=number)
        assert response.status_code == 200
        return len(context), response.content.decode()

    first_queries, first = page(1)
    last_queries, last = page(2)
    assert first_queries == last_queries
    # Never the whole stadsdorp on one page: PAGE_SIZE cards, the rest on the next page.
    assert len(re.findall(r'<h2><a href="/nl/ledenadministratie/leden/\d+/">', first)) == PAGE_SIZE
    shown = {name for html in (first, last) for name in re.findall(r">(Paginalid\d+) Test<", html)}
    assert shown == {f"Paginalid{number:03d}" for number in range(PAGE_SIZE + 5)}
    assert "Pagina 1 van 2" in first and "Pagina 2 van 2" in last
