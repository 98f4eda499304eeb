"""Every membership screen against every role, allowed AND refused: coordinators of stadsdorp X
never reach Y's members, contact persons only their own binnenbuurt's list, X's treasurer only X's
contributions (never the applications, the member administration or Y's contributions), members
and editors none of the administration. Binnenbuurt A (Zonnehof) and B are Noord's; Rivierbuurt
is Zuid's."""

import pytest

from django.urls import reverse
from django.utils import timezone

from tests.conftest import login_with_second_factor
from tests.members_area.membership.test_administration import add_member

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "member_a",
    "contact_a",
    "editor",
    "coordinator_x",
    "coordinator_y",
    "treasurer_x",
    "admin",
]
LOGGED_IN = set(ROLES) - {"anonymous"}
COORDINATORS = {"coordinator_x", "coordinator_y", "admin"}
NOORD = {"coordinator_x", "admin"}
# Who keeps contributions: the coordinators too (a small stadsdorp may have no treasurer).
CONTRIBUTIONS = COORDINATORS | {"treasurer_x"}
NOORD_CONTRIBUTIONS = NOORD | {"treasurer_x"}


def screens(world):
    """(name, url, the roles that get it)"""
    member_a = world.users["member_a"].member
    member_zuid = add_member(world, world.c, "Zuidlid", email="zuidlid@example.org")
    year = timezone.localdate().year
    return [
        ("own e-mail address", reverse("membership:email_change"), LOGGED_IN),
        ("queue", reverse("membership:queue"), COORDINATORS | {"contact_a"}),
        ("enter an application", reverse("membership:enter"), COORDINATORS | {"contact_a"}),
        ("member list", reverse("membership:members"), COORDINATORS),
        ("member of Noord", reverse("membership:member", args=[member_a.pk]), NOORD),
        ("member CSV", reverse("membership:members_csv"), COORDINATORS),
        ("member XLSX", reverse("membership:members_xlsx"), COORDINATORS),
        ("printable lists", reverse("membership:printable_lists"), COORDINATORS | {"contact_a"}),
        (
            "printable list of A",
            reverse("membership:binnenbuurt_list_pdf", args=[world.a.pk]),
            NOORD | {"contact_a"},
        ),
        (
            "printable list of B",
            reverse("membership:binnenbuurt_list_pdf", args=[world.b.pk]),
            NOORD,
        ),
        ("street list of A", reverse("membership:area", args=[world.a.pk]), NOORD),
        ("import", reverse("membership:import"), COORDINATORS),
        ("contributions", reverse("membership:contributions"), CONTRIBUTIONS),
        (
            "contribution of a Noord member",
            reverse("membership:contribution", args=[member_a.pk, year]),
            NOORD_CONTRIBUTIONS,
        ),
        (
            "contribution of a Zuid member",
            reverse("membership:contribution", args=[member_zuid.pk, year]),
            {"coordinator_y", "admin"},
        ),
        ("contributions CSV", reverse("membership:contributions_csv"), CONTRIBUTIONS),
        ("contributions XLSX", reverse("membership:contributions_xlsx"), CONTRIBUTIONS),
        ("reminder letters", reverse("membership:contribution_letters"), CONTRIBUTIONS),
    ]


def login(client, world, role):
    if role in ("editor", "admin"):
        login_with_second_factor(client, world.users[role])
    elif role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_screen_for_every_role(client, membership_world, role):
    world = membership_world
    login(client, world, role)
    for name, url, allowed in screens(world):
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (role, name, response.status_code)
            assert "no-store" in response.get("Cache-Control", ""), (role, name)
        elif role == "anonymous":
            assert response.status_code == 302, (role, name)
            assert response["Location"].startswith("/nl/login/?next="), (role, name)
        else:
            assert response.status_code == 403, (role, name, response.status_code)
            assert b"Geen toegang" in response.content


def test_email_confirmation_page_is_the_same_for_everyone(client, membership_world):
    url = reverse("membership:email_confirm", args=["geen-geldige-link"])
    for role in ROLES:
        login(client, membership_world, role)
        response = client.get(url)
        assert response.status_code == 200
        assert "werkt niet" in response.content.decode()
        client.logout()
