"""Editors: validation messages, sign-ups per event, CSV export, on-behalf sign-up, access."""

import csv
import io
from datetime import date, timedelta

import pytest

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from events import signup
from events.factories import EventIndexPageFactory
from events.models import EventIndexPage, EventPage, Registration
from tests.events.conftest import local, soon

pytestmark = pytest.mark.django_db


def editor_of(page, username, django_user_model):
    group = Group.objects.create(name=f"Redactie {username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=page, permission=Permission.objects.get(codename=codename)
        )
    user = django_user_model.objects.create_user(username, password="x" * 12)
    user.groups.add(group)
    return user


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"end": local(2027, 1, 1, 9)}, "end", "Het einde ligt vóór het begin"),
        ({"capacity": -3}, "capacity", "niet negatief"),
        ({"signup_deadline": local(2027, 1, 2)}, "signup_deadline", "na het begin"),
        ({"frequency": "weekly"}, "repeat_until", "einde nodig"),
        ({"frequency": "weekly", "repeat_until": date(2030, 1, 1)}, "repeat_until", "twee jaar"),
        ({"frequency": "weekly", "repeat_count": 900}, "repeat_count", "tussen 1 en 500"),
        ({"audience": "binnenbuurt"}, "audience_group", "binnenbuurt"),
        ({"max_per_signup": 0}, "max_per_signup", "minstens 1"),
    ],
)
def test_validation_messages(fields, field, message):
    event = EventPage(
        title="Test", slug="test", start=local(2027, 1, 1, 10), end=local(2027, 1, 1, 12)
    )
    for name, value in fields.items():
        setattr(event, name, value)
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert message in " ".join(str(m) for m in error.value.message_dict[field])


def test_admin_shows_dutch_message_for_end_before_start(agenda, admin_client):
    url = reverse("wagtailadmin_pages:add", args=("events", "eventpage", agenda.pk))
    data = nested_form_data(
        {
            "title": "Koffie",
            "slug": "koffie",
            "start": "2027-01-05 10:00",
            "end": "2027-01-05 09:00",
            "description": rich_text(""),
            "audience": "public",
            "status": "scheduled",
            "frequency": "",
            "max_per_signup": "2",
            "exceptions": inline_formset([]),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Het einde ligt vóór het begin" in response.content.decode()
    assert not EventPage.objects.filter(slug="koffie").exists()


def test_admin_can_create_event_with_exception(agenda, admin_client):
    url = reverse("wagtailadmin_pages:add", args=("events", "eventpage", agenda.pk))
    data = nested_form_data(
        {
            "title": "Koffieochtend",
            "slug": "koffieochtend",
            "start": "2027-01-05 10:00",
            "end": "2027-01-05 12:00",
            "description": rich_text("<p>Koffie</p>"),
            "audience": "members",
            "status": "scheduled",
            "frequency": "biweekly",
            "repeat_count": "10",
            "max_per_signup": "2",
            "exceptions": inline_formset(
                [
                    {
                        "date": "2027-01-19",
                        "kind": "cancelled",
                        "new_start": "",
                        "new_end": "",
                        "note": "Vakantie",
                    }
                ]
            ),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = EventPage.objects.get(slug="koffieochtend")
    assert event.exceptions.count() == 1
    assert event.series_end.date() == date(2027, 5, 11)
    assert event.get_view_restrictions().get().restriction_type == "login"


def test_page_type_rules():
    assert (
        EventPage.allowed_parent_page_models()
        and EventIndexPage in EventPage.allowed_parent_page_models()
    )
    assert EventIndexPage.allowed_subpage_models() == [EventPage]


@pytest.fixture
def event_with_signups(make_event):
    event = make_event(title="Excursie", signup_enabled=True, capacity=2, start=soon(10))
    day = timezone.localtime(event.start).date()
    signup.register(event, day, name="=HYPERLINK(1)", email="a@example.org", number_of_people=2)
    signup.register(event, day, name="Wachtend", email="b@example.org")
    return event


def test_editor_of_the_section_sees_exports_and_adds(
    event_with_signups, agenda, client, django_user_model
):
    event = event_with_signups
    client.force_login(editor_of(agenda, "redacteur", django_user_model))
    listing = client.get(reverse("events_registrations", args=[event.pk]))
    assert listing.status_code == 200
    assert "Wachtend" in listing.content.decode()
    export = client.get(reverse("events_registrations_csv", args=[event.pk]))
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Datum", "Naam"]
    assert [row[1] for row in rows[1:]] == ["'=HYPERLINK(1)", "Wachtend"]
    assert rows[1][5] == "Aangemeld" and rows[2][5] == "Op de wachtlijst"
    add = client.post(
        reverse("events_registrations_add", args=[event.pk]),
        {
            "datum": timezone.localtime(event.start).date().isoformat(),
            "name": "Mevrouw Zonder Internet",
            "email": "",
            "phone": "020 111 22 33",
            "number_of_people": "1",
            "source": "phone",
        },
    )
    assert add.status_code == 302
    added = Registration.objects.get(name="Mevrouw Zonder Internet")
    assert added.source == "phone" and added.email == "" and added.status == "waitlisted"


def test_other_editor_and_member_and_anonymous_get_no_access(
    event_with_signups, home_page, client, django_user_model
):
    event = event_with_signups
    other_section = EventIndexPageFactory(parent=home_page, title="Andere agenda", slug="andere")
    urls = [
        reverse("events_registrations", args=[event.pk]),
        reverse("events_registrations_csv", args=[event.pk]),
        reverse("events_registrations_add", args=[event.pk]),
    ]
    client.force_login(editor_of(other_section, "ander", django_user_model))
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    member = django_user_model.objects.create_user("lid", password="x" * 12)
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(member)
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    client.logout()
    assert all(client.get(url).status_code == 302 for url in urls)


def test_admin_cancel_promotes(event_with_signups, admin_client):
    event = event_with_signups
    first = Registration.objects.get(number_of_people=2)
    admin_client.post(reverse("events_registrations_cancel", args=[event.pk, first.pk]))
    assert Registration.objects.get(name="Wachtend").status == "confirmed"


def test_registrations_button_in_page_header(event_with_signups, admin_client):
    body = admin_client.get(
        reverse("wagtailadmin_pages:edit", args=[event_with_signups.pk])
    ).content.decode()
    assert reverse("events_registrations", args=[event_with_signups.pk]) in body


def test_on_behalf_ignores_deadline_but_not_capacity(make_event):
    event = make_event(
        signup_enabled=True,
        capacity=1,
        waitlist_enabled=False,
        signup_deadline=timezone.now() - timedelta(hours=1),
    )
    day = timezone.localtime(event.start).date()
    registration, _ = signup.register(
        event, day, name="Via telefoon", source="phone", on_behalf=True
    )
    assert registration.status == "confirmed"
    with pytest.raises(signup.SignupRefused):
        signup.register(event, day, name="Nog een", source="paper", on_behalf=True)
