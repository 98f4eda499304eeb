"""The coordinators' queue: approve, put on hold, decline; and who may see which application."""

from datetime import timedelta
from unittest import mock

import pytest

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from members_area.membership import services
from members_area.membership.models import Application, Membership
from members_area.membership.tokens import welcome_token_generator
from members_area.models import Member
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db


def make_application(stadsdorp, binnenbuurt=None, **fields):
    data = {
        "first_name": "Greet",
        "last_name": "de Vries",
        "street_address": "Ringdijk 12",
        "postcode": "1097AB",
        "city": "Amsterdam",
        "phone": "020 555 12 12",
        "email": "greet@example.org",
        "language": "nl",
        "share_phone": True,
        "binnenbuurt": binnenbuurt,
    }
    data.update(fields)
    application, _created = services.submit_application(stadsdorp, data)
    return application


@pytest.fixture
def applications(membership_world):
    world = membership_world
    return {
        "noord_a": make_application(world.stadsdorp, world.a),
        "noord_b": make_application(
            world.stadsdorp, world.b, first_name="Bas", email="bas@example.org"
        ),
        "zuid": make_application(world.zuid, world.c, first_name="Zeynep", email="z@example.org"),
    }


def login(client, world, role):
    if role == "admin":
        login_with_second_factor(client, world.users[role])
    elif role != "anonymous":
        client.force_login(world.users[role])
    return client


# Which role sees which application in the queue and on its own page.
SEES = {
    "anonymous": set(),
    "member_a": set(),
    "member_b": set(),
    "contact_a": {"noord_a"},
    "coordinator_x": {"noord_a", "noord_b"},
    "coordinator_y": {"zuid"},
    "admin": {"noord_a", "noord_b", "zuid"},
}
DECIDES = {"coordinator_x": {"noord_a", "noord_b"}, "coordinator_y": {"zuid"}}


@pytest.mark.parametrize("role", sorted(SEES))
def test_queue_shows_only_what_the_role_may_see(client, membership_world, applications, role):
    response = login(client, membership_world, role).get(reverse("membership:queue"))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/nl/login/?next=")
        return
    if not SEES[role]:
        assert response.status_code == 403
        assert b"Geen toegang" in response.content
        return
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    for key, application in applications.items():
        assert (application.full_name in content) == (key in SEES[role]), key


@pytest.mark.parametrize("role", sorted(SEES))
def test_application_page_and_decision_per_role(client, membership_world, applications, role):
    login(client, membership_world, role)
    for key, application in applications.items():
        url = reverse("membership:application", args=[application.pk])
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302
            continue
        if key not in SEES[role]:
            assert response.status_code == 403
            assert application.first_name.encode() not in response.content
            continue
        assert response.status_code == 200
        decides = key in DECIDES.get(role, set()) or role == "admin"
        assert (b'name="decision"' in response.content) == decides
        response = client.post(url, {"decision": "hold", "message": "Eerst bellen"})
        application.refresh_from_db()
        if decides:
            assert response.status_code == 302
            assert application.status == Application.Status.ON_HOLD
        else:
            assert response.status_code == 403
            assert application.status == Application.Status.NEW


def test_approval_makes_a_member_with_an_account_and_a_welcome_link(
    client, membership_world, applications, django_capture_on_commit_callbacks
):
    world = membership_world
    application = applications["noord_a"]
    client.force_login(world.users["coordinator_x"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("membership:application", args=[application.pk]),
            {"decision": "approve", "binnenbuurt": world.a.pk, "message": "Tot de borrel!"},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.decided_by == world.users["coordinator_x"]
    member = application.member
    assert member.binnenbuurt == world.a
    assert member.user.email == "greet@example.org"
    assert not member.user.has_usable_password()
    assert member.listed_consent and member.phone == "020 555 12 12"
    assert (member.street_address, member.postcode, member.city) == (
        "Ringdijk 12",
        "1097AB",
        "Amsterdam",
    )
    assert member.user.groups.filter(pk=world.a.members_group_id).exists()
    membership = member.membership
    assert membership.stadsdorp == world.stadsdorp
    assert not membership.paper_newsletter

    welcome = next(m for m in mail.outbox if m.to == ["greet@example.org"])
    assert "Welkom bij Stadsdorp Noord" in welcome.subject
    assert "Tot de borrel!" in welcome.body
    assert "7 dagen" in welcome.body
    link = next(line for line in welcome.body.splitlines() if "/nl/welkom/" in line).strip()
    assert "greet" not in link  # no personal data in links
    contacts_mail = next(m for m in mail.outbox if m.to == ["carla@example.org"])
    assert "Greet de Vries is lid geworden" in contacts_mail.body
    assert "020 555 12 12" in contacts_mail.body  # consented

    # The link lets the new member choose a password, once.
    client.logout()
    path = link.removeprefix("http://testserver")
    response = client.get(path)
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.post(
        form_url,
        {"new_password1": "Een-lang-wachtwoord-77", "new_password2": "Een-lang-wachtwoord-77"},
    )
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password("Een-lang-wachtwoord-77")
    response = client.get(path, follow=True)
    assert "Deze link werkt niet" in response.content.decode()


def test_welcome_link_works_seven_days(membership_world, applications):
    member = services.approve(applications["noord_a"], membership_world.users["coordinator_x"])
    user = member.user
    token = welcome_token_generator.make_token(user)
    now = welcome_token_generator._now()
    with mock.patch.object(
        welcome_token_generator, "_now", return_value=now + timedelta(days=6, hours=23)
    ):
        assert welcome_token_generator.check_token(user, token)
    with mock.patch.object(
        welcome_token_generator, "_now", return_value=now + timedelta(days=7, hours=1)
    ):
        assert not welcome_token_generator.check_token(user, token)
    # A password-reset token is not a welcome token.
    from django.contrib.auth.tokens import default_token_generator

    assert not welcome_token_generator.check_token(user, default_token_generator.make_token(user))


def test_member_without_email_is_a_full_member_without_login(
    membership_world, django_capture_on_commit_callbacks
):
    world = membership_world
    application = make_application(world.stadsdorp, world.b, email="", share_phone=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        member = services.approve(application, world.users["coordinator_x"], binnenbuurt=world.b)
    assert member.user.email == ""
    assert not member.user.has_usable_password()
    assert member.membership.paper_newsletter
    assert member.binnenbuurt == world.b
    # Nobody to send a welcome to; binnenbuurt B has no contact persons with e-mail.
    assert mail.outbox == []


def test_contacts_are_not_given_unconsented_phone_numbers(
    membership_world, django_capture_on_commit_callbacks
):
    world = membership_world
    application = make_application(world.stadsdorp, world.a, share_phone=False, prefers_phone=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(application, world.users["coordinator_x"], binnenbuurt=world.a)
    contacts_mail = next(m for m in mail.outbox if m.to == ["carla@example.org"])
    assert "020 555 12 12" not in contacts_mail.body
    assert "liever gebeld" in contacts_mail.body


def test_approving_twice_makes_one_member(membership_world, applications):
    by = membership_world.users["coordinator_x"]
    first = services.approve(applications["noord_a"], by, binnenbuurt=membership_world.a)
    second = services.approve(applications["noord_a"], by, binnenbuurt=membership_world.a)
    assert first == second
    assert Member.objects.filter(user__email="greet@example.org").count() == 1
    assert Membership.objects.count() == 1


def test_existing_member_with_the_address_is_refused_with_a_message(
    client, membership_world, applications
):
    world = membership_world
    application = make_application(world.stadsdorp, world.a, email="anna@example.org")
    client.force_login(world.users["coordinator_x"])
    response = client.post(
        reverse("membership:application", args=[application.pk]),
        {"decision": "approve", "binnenbuurt": world.a.pk},
    )
    assert response.status_code == 200
    assert "Er is al een lid met dit e-mailadres" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.NEW
    assert get_user_model().objects.filter(email__iexact="anna@example.org").count() == 1


def test_decline_needs_a_message_and_tells_the_applicant(
    client, membership_world, applications, django_capture_on_commit_callbacks
):
    world = membership_world
    application = applications["noord_b"]
    client.force_login(world.users["coordinator_x"])
    url = reverse("membership:application", args=[application.pk])
    response = client.post(url, {"decision": "decline", "message": ""})
    assert "Schrijf kort waarom" in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"decision": "decline", "message": "U woont buiten ons gebied."}
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert application.member is None
    assert mail.outbox[0].to == ["bas@example.org"]
    assert "U woont buiten ons gebied." in mail.outbox[0].body
    # Handled: the form is gone, a second decision is refused.
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 403


def test_coordinator_cannot_assign_another_stadsdorps_binnenbuurt(membership_world, applications):
    with pytest.raises(services.MembershipError):
        services.approve(
            applications["noord_a"],
            membership_world.users["coordinator_x"],
            binnenbuurt=membership_world.c,
        )
    assert not Member.objects.filter(user__email="greet@example.org").exists()


def test_areas_are_kept_by_the_stadsdorps_coordinators(client, membership_world):
    world = membership_world
    client.force_login(world.users["coordinator_y"])
    assert client.get(reverse("membership:area", args=[world.a.pk])).status_code == 403
    client.force_login(world.users["coordinator_x"])
    url = reverse("membership:area", args=[world.a.pk])
    response = client.post(url, {"streets": "Kruislaan", "postcodes": "onzin"})
    assert "Deze regels kunnen we niet lezen: onzin" in response.content.decode()
    response = client.post(url, {"streets": "Kruislaan", "postcodes": "1097 AA - 1097 CZ"})
    assert response.status_code == 302
    world.a.area.refresh_from_db()
    assert world.a.area.streets == "Kruislaan"


def test_queue_in_the_admin_menu_only_for_coordinators(membership_world):
    from django.test import RequestFactory

    from members_area.membership.wagtail_hooks import AdministrationMenuItem

    item = AdministrationMenuItem("x", "/")
    request = RequestFactory().get("/")
    request.user = membership_world.users["coordinator_x"]
    assert item.is_shown(request)
    request.user = membership_world.users["member_a"]
    assert not item.is_shown(request)
