"""iCalendar (RFC 5545) export of events and feeds.

A recurring event is ONE VEVENT with an RRULE (expanded in local time by the calendar app, so
10:00 stays 10:00 across daylight saving time), EXDATEs for cancelled dates and one extra VEVENT
with RECURRENCE-ID per moved occurrence. Times carry TZID=Europe/Amsterdam and the calendar has a
matching VTIMEZONE (``Calendar.add_missing_timezones``).
"""

from datetime import UTC, date, datetime, timedelta

import icalendar

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

from . import recurrence

PRODID = "-//Netwerk Stadsdorpen//Agenda//NL"
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def new_calendar(name=None):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    return calendar


def uid_for(event):
    host = settings.WAGTAILADMIN_BASE_URL.split("://")[-1].split("/")[0].split(":")[0]
    return f"event-{event.translation_key}@{host or 'stadsdorpen'}"


def local(value):
    return value.astimezone(recurrence.LOCAL_TZ)


def rrule_for(event):
    rule = event.rule
    if not rule.is_recurring:
        return None
    parts = {}
    start = local(event.start)
    if rule.frequency == recurrence.WEEKLY:
        parts = {"FREQ": "WEEKLY", "INTERVAL": 1}
    elif rule.frequency == recurrence.BIWEEKLY:
        parts = {"FREQ": "WEEKLY", "INTERVAL": 2}
    elif rule.frequency == recurrence.MONTHLY_NTH:
        nth = rule.week_of_month or recurrence.default_week_of_month(start)
        parts = {"FREQ": "MONTHLY", "BYDAY": f"{nth}{WEEKDAY_CODES[start.weekday()]}"}
    if rule.count:
        parts["COUNT"] = min(rule.count, recurrence.MAX_OCCURRENCES)
    else:
        until = rule.until or (start + timedelta(days=recurrence.MAX_SERIES_DAYS)).date()
        if event.all_day:  # UNTIL has the type of DTSTART
            parts["UNTIL"] = until
            return parts
        # UNTIL must be in UTC when DTSTART has a TZID (RFC 5545 3.3.10).
        until_local = datetime.combine(until, datetime.max.time()).replace(
            microsecond=0, tzinfo=recurrence.LOCAL_TZ
        )
        parts["UNTIL"] = until_local.astimezone(UTC)
    return parts


def _set_times(component, event, start, end):
    if event.all_day:
        first = local(start).date()
        last = local(end).date()
        component.add("dtstart", first)
        component.add("dtend", max(last, first) + timedelta(days=1))
    else:
        component.add("dtstart", local(start))
        component.add("dtend", local(end))


def _base_vevent(event, url, now):
    vevent = icalendar.Event()
    vevent.add("uid", uid_for(event))
    vevent.add("dtstamp", now)
    vevent.add("summary", event.title)
    description = strip_tags(event.description or "").strip()
    if url:
        description = f"{description}\n\n{url}".strip()
        vevent.add("url", url)
    if description:
        vevent.add("description", description)
    if event.location_id and event.location:
        location = event.location
        vevent.add(
            "location", ", ".join(p for p in (location.name, location.one_line_address) if p)
        )
        if location.latitude is not None and location.longitude is not None:
            vevent.add("geo", (float(location.latitude), float(location.longitude)))
    if event.category_id and event.category:
        vevent.add("categories", [event.category.name])
    if event.contact_email:
        organizer = icalendar.vCalAddress(f"mailto:{event.contact_email}")
        organizer.params["cn"] = icalendar.vText(
            event.organiser_name or event.contact_name or event.contact_email
        )
        vevent.add("organizer", organizer)
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    vevent.add("last-modified", event.last_published_at or event.latest_revision_created_at or now)
    return vevent


def event_components(event, url="", now=None):
    """The VEVENTs of one event: the series (with RRULE/EXDATE) and one per moved date."""
    now = now or timezone.now()
    vevent = _base_vevent(event, url, now)
    _set_times(vevent, event, event.start, event.end)
    components = [vevent]
    rrule = rrule_for(event)
    if rrule:
        vevent.add("rrule", rrule)
        start_local = local(event.start)
        duration = event.end - event.start
        for exception in event.exceptions.all():
            original = _original_start(event, start_local, exception.date)
            if exception.kind == "cancelled":
                vevent.add("exdate", exception.date if event.all_day else original)
            elif exception.kind == "moved" and exception.new_start:
                moved = _base_vevent(event, url, now)
                moved.add("recurrence-id", exception.date if event.all_day else original)
                _set_times(
                    moved,
                    event,
                    exception.new_start,
                    exception.new_end or exception.new_start + duration,
                )
                if exception.note:
                    moved["description"] = icalendar.vText(
                        f"{exception.note}\n\n{moved.get('description', '')}".strip()
                    )
                components.append(moved)
    return components


def _original_start(event, start_local, day):
    naive = datetime.combine(day, start_local.time().replace(tzinfo=None))
    return naive.replace(tzinfo=recurrence.LOCAL_TZ)


def to_ical(calendar):
    calendar.add_missing_timezones(first_date=date(2020, 1, 1), last_date=date(2035, 1, 1))
    return calendar.to_ical()


def calendar_for_events(events, name, url_for, now=None):
    """One calendar for many events; ``url_for(event)`` gives each event's absolute URL."""
    now = now or timezone.now()
    calendar = new_calendar(name)
    for event in events:
        for component in event_components(event, url_for(event), now=now):
            calendar.add_component(component)
    return to_ical(calendar)


def calendar_for_event(event, url="", now=None):
    calendar = new_calendar(event.title)
    for component in event_components(event, url, now=now):
        calendar.add_component(component)
    return to_ical(calendar)


def calendar_for_occurrence(event, start, end, url="", now=None):
    """A calendar with one occurrence (attached to a sign-up confirmation)."""
    now = now or timezone.now()
    calendar = new_calendar(event.title)
    vevent = _base_vevent(event, url, now)
    if event.is_recurring:
        vevent["uid"] = icalendar.vText(
            uid_for(event).replace("@", f"-{local(start).date().isoformat()}@", 1)
        )
    _set_times(vevent, event, start, end)
    calendar.add_component(vevent)
    return to_ical(calendar)
