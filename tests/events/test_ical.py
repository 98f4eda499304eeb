"""The .ics download and the feeds parse with icalendar and carry RRULE/EXDATE/RECURRENCE-ID."""

import json
import re
from datetime import date, timedelta

import icalendar
import pytest

from events.models import EventException
from tests.events.conftest import local, soon

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"\r\n" in response.content
    return icalendar.Calendar.from_ical(response.content)


def test_recurring_event_is_one_vevent_with_rrule_exdate_and_recurrence_id(make_event, client):
    event = make_event(
        title="Koffieochtend",
        start=local(2027, 3, 16),
        end=local(2027, 3, 16, 12),
        frequency="weekly",
        repeat_count=6,
    )
    EventException.objects.create(page=event, date=date(2027, 3, 23), kind="cancelled")
    EventException.objects.create(
        page=event,
        date=date(2027, 3, 30),
        kind="moved",
        new_start=local(2027, 3, 31, 14),
        new_end=local(2027, 3, 31, 16),
        note="Een dag later",
    )
    calendar = parse(client.get(f"{event.url}ical/"))
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 2
    series, moved = vevents
    assert series["RRULE"]["FREQ"] == ["WEEKLY"]
    assert series["RRULE"]["COUNT"] == [6]
    assert series["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert series["DTSTART"].dt == local(2027, 3, 16)
    exdates = [d.dt for d in series["EXDATE"].dts]
    assert exdates == [local(2027, 3, 23)]
    assert moved["RECURRENCE-ID"].dt == local(2027, 3, 30)
    assert moved["DTSTART"].dt == local(2027, 3, 31, 14)
    assert moved["UID"] == series["UID"]
    assert "Een dag later" in str(moved["DESCRIPTION"])
    assert "DTSTAMP" in series
    timezones = calendar.walk("VTIMEZONE")
    assert [tz["TZID"] for tz in timezones] == ["Europe/Amsterdam"]
    # The time stays 10:00 local after the DST change on 28 March, as calendar apps expand it.
    assert series["DTSTART"].dt.hour == 10


def test_monthly_rule_and_until_in_utc(make_event, client):
    event = make_event(
        start=local(2026, 12, 4, 17),
        end=local(2026, 12, 4, 19),
        frequency="monthly_nth",
        week_of_month=1,
        repeat_until=date(2027, 6, 30),
    )
    series = parse(client.get(f"{event.url}ical/")).walk("VEVENT")[0]
    assert series["RRULE"]["BYDAY"] == ["1FR"]
    until = series["RRULE"]["UNTIL"][0]
    assert until.utcoffset() == timedelta(0)


def test_cancelled_event_has_status_cancelled_and_stable_uid(make_event, client):
    event = make_event(status="cancelled", cancellation_reason="Ziek")
    first = parse(client.get(f"{event.url}ical/")).walk("VEVENT")[0]
    second = parse(client.get(f"{event.url}ical/")).walk("VEVENT")[0]
    assert first["STATUS"] == "CANCELLED"
    assert first["UID"] == second["UID"]


def test_all_day_event_uses_dates(make_event, client):
    event = make_event(start=local(2027, 1, 9, 0), end=local(2027, 1, 9, 23), all_day=True)
    vevent = parse(client.get(f"{event.url}ical/")).walk("VEVENT")[0]
    assert vevent["DTSTART"].dt == date(2027, 1, 9)
    assert vevent["DTEND"].dt == date(2027, 1, 10)


def test_agenda_feed_and_category_feed(make_event, agenda, client):
    from events.factories import EventCategoryFactory

    lecture = EventCategoryFactory(name="Lezing", slug="lezing", locale=agenda.locale)
    make_event(title="Lezing A", category=lecture)
    make_event(title="Borrel B")
    feed = parse(client.get(f"{agenda.url}ical/"))
    assert sorted(str(v["SUMMARY"]) for v in feed.walk("VEVENT")) == ["Borrel B", "Lezing A"]
    category_feed = parse(client.get(f"{agenda.url}ical/lezing/"))
    assert [str(v["SUMMARY"]) for v in category_feed.walk("VEVENT")] == ["Lezing A"]
    assert client.get(f"{agenda.url}ical/onbekend/").status_code == 404


def test_feed_leaves_out_non_public_events_for_anonymous(
    make_event, agenda, client, django_user_model
):
    make_event(title="Openbaar")
    make_event(title="Ledenvergadering", audience="members", start=soon(9))
    summaries = [str(v["SUMMARY"]) for v in parse(client.get(f"{agenda.url}ical/")).walk("VEVENT")]
    assert summaries == ["Openbaar"]
    member = django_user_model.objects.create_user("lid", password="x" * 12)
    client.force_login(member)
    summaries = [str(v["SUMMARY"]) for v in parse(client.get(f"{agenda.url}ical/")).walk("VEVENT")]
    assert sorted(summaries) == ["Ledenvergadering", "Openbaar"]


def test_members_event_ics_is_not_given_to_anonymous(make_event, client):
    event = make_event(title="Geheim", audience="members")
    response = client.get(f"{event.url}ical/")
    assert response.status_code == 302
    assert b"Geheim" not in response.content


def test_text_is_escaped_and_long_lines_folded(make_event, client):
    from events.factories import LocationFactory

    title = "Lezing; over buren, zorg & ‘nabuurschap’ — " + "é" * 80
    event = make_event(
        title=title,
        description="<p>Regel één\nregel twee; met komma, en backslash \\</p>",
        location=LocationFactory(name="Buurthuis, zaal 2", address="Dorpsstraat 1"),
        organiser_name="Werkgroep: Cultuur",
    )
    response = client.get(f"{event.url}ical/")
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    vevent = parse(response).walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == title
    assert "regel twee; met komma, en backslash \\" in str(vevent["DESCRIPTION"])
    assert str(vevent["LOCATION"]).startswith("Buurthuis, zaal 2, Dorpsstraat 1")
    assert vevent["ORGANIZER"].params["CN"] == "Werkgroep: Cultuur"


def test_paragraphs_stay_apart_in_the_calendar_and_structured_data(make_event, client):
    event = make_event(
        description="<p>Koffie om 10 uur!</p><p>Neem &lt;b&gt;je buren&lt;/b&gt; mee.</p>"
    )
    vevent = parse(client.get(f"{event.url}ical/")).walk("VEVENT")[0]
    assert str(vevent["DESCRIPTION"]).startswith("Koffie om 10 uur!\n\nNeem <b>je buren</b> mee.")
    page = client.get(event.url).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1)
    )
    assert data["description"] == "Koffie om 10 uur! Neem <b>je buren</b> mee."
