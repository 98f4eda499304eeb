"""Expanding an event's recurrence rule into occurrences.

Rules are expanded in *local* wall-clock time (Europe/Amsterdam) with ``dateutil.rrule`` on naive
datetimes, and each result is localised afterwards: a coffee morning at 10:00 stays at 10:00 when
daylight saving time starts or ends, which an rrule over aware UTC datetimes would get wrong.

Expansion is always bounded: by the window asked for, by the series' own end (a date or a count)
and by the hard caps below, so a rule can never explode a list.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

from django.db import models
from django.utils.translation import gettext_lazy as _

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
MAX_OCCURRENCES = 500
MAX_SERIES_DAYS = 2 * 366


class Frequency(models.TextChoices):
    NONE = "", _("Eenmalig")
    WEEKLY = "weekly", _("Elke week")
    BIWEEKLY = "biweekly", _("Elke twee weken")
    MONTHLY_NTH = "monthly_nth", _("Elke maand op de zoveelste weekdag")


WEEKDAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]


@dataclass
class Rule:
    """A recurrence rule independent of the database (easy to test)."""

    frequency: str = Frequency.NONE
    week_of_month: int | None = None  # 1..4, or -1 for the last one
    until: date | None = None
    count: int | None = None

    @property
    def is_recurring(self):
        return bool(self.frequency)


@dataclass
class Exception_:
    date: date
    kind: str  # "cancelled" or "moved"
    new_start: datetime | None = None
    new_end: datetime | None = None
    note: str = ""


@dataclass
class RawOccurrence:
    """One occurrence before it is decorated for display (see ``events.listings``)."""

    start: datetime
    end: datetime
    original_date: date  # the date this occurrence has in the series (the key for exceptions)
    is_cancelled: bool = False
    moved_from: datetime | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


def to_local(value):
    return value.astimezone(LOCAL_TZ)


def localise(naive):
    """Attach the local zone to a naive local datetime (``fold=0`` for the ambiguous hour)."""
    return naive.replace(tzinfo=LOCAL_TZ)


def default_week_of_month(day):
    """The n-th weekday of the month this date is on (1..4, -1 when it is the 5th)."""
    n = (day.day - 1) // 7 + 1
    return -1 if n >= 5 else n


def build_rrule(rule, local_start):
    """A ``dateutil.rrule`` over naive local datetimes, or None when the event does not repeat."""
    if not rule.is_recurring:
        return None
    weekday = WEEKDAYS[local_start.weekday()]
    kwargs = {"dtstart": local_start}
    if rule.frequency == Frequency.WEEKLY:
        kwargs.update(freq=rrule.WEEKLY, interval=1)
    elif rule.frequency == Frequency.BIWEEKLY:
        kwargs.update(freq=rrule.WEEKLY, interval=2)
    elif rule.frequency == Frequency.MONTHLY_NTH:
        nth = rule.week_of_month or default_week_of_month(local_start)
        kwargs.update(freq=rrule.MONTHLY, interval=1, byweekday=weekday(nth))
    else:
        return None
    hard_until = local_start + timedelta(days=MAX_SERIES_DAYS)
    if rule.until:
        until = datetime.combine(rule.until, time.max)
        kwargs["until"] = min(until, hard_until)
    else:
        kwargs["until"] = hard_until
    kwargs["count"] = min(rule.count, MAX_OCCURRENCES) if rule.count else None
    if kwargs["count"]:
        # rrule refuses until and count together; the count ends it, the cap is applied below.
        del kwargs["until"]
    return rrule.rrule(**kwargs)


def expand(start, end, rule, exceptions=(), window_start=None, window_end=None):
    """The occurrences of one event overlapping [window_start, window_end).

    ``start`` and ``end`` are aware datetimes of the first occurrence. Cancelled occurrences are
    returned with ``is_cancelled=True`` (shown, not removed); moved ones at their new time.
    """
    duration = end - start
    by_date = {exception.date: exception for exception in exceptions}
    local_start = to_local(start).replace(tzinfo=None)
    recurrence = build_rrule(rule, local_start)
    hard_until = local_start + timedelta(days=MAX_SERIES_DAYS)

    if recurrence is None:
        candidates = [local_start]
    else:
        # Ask rrule only for the part of the series that can overlap the window (plus the
        # moved-occurrence slack), so a long series costs little.
        lower = local_start
        if window_start is not None:
            lower = max(local_start, to_local(window_start).replace(tzinfo=None) - duration)
            lower -= timedelta(days=31)  # a moved occurrence may come from a nearby date
        upper = hard_until
        if window_end is not None:
            upper = min(upper, to_local(window_end).replace(tzinfo=None) + timedelta(days=31))
        # between() honours the rule's count: it iterates from dtstart.
        candidates = recurrence.between(lower, upper, inc=True)[:MAX_OCCURRENCES]

    results = []
    for naive in candidates:
        occurrence_start = localise(naive)
        occurrence_end = localise(naive + duration) if recurrence else end
        if recurrence is None:
            occurrence_start = start
        occurrence = RawOccurrence(
            start=occurrence_start, end=occurrence_end, original_date=naive.date()
        )
        exception = by_date.get(naive.date())
        if exception is not None:
            occurrence.note = exception.note
            if exception.kind == "cancelled":
                occurrence.is_cancelled = True
            elif exception.kind == "moved" and exception.new_start:
                occurrence.moved_from = occurrence.start
                occurrence.start = exception.new_start
                occurrence.end = exception.new_end or exception.new_start + duration
        if window_start is not None and occurrence.end <= window_start:
            continue
        if window_end is not None and occurrence.start >= window_end:
            continue
        results.append(occurrence)
    results.sort(key=lambda item: item.start)
    return results


def series_end(start, end, rule, exceptions=()):
    """The latest moment any occurrence of this series ends (stored for cheap window queries)."""
    last_end = end
    recurrence = build_rrule(rule, to_local(start).replace(tzinfo=None))
    if recurrence is not None:
        duration = end - start
        last = None
        for last in recurrence:  # noqa: B007 - bounded by count or until (both capped)
            pass
        if last is not None:
            last_end = max(last_end, localise(last + duration))
    for exception in exceptions:
        if exception.kind == "moved" and exception.new_start:
            last_end = max(last_end, exception.new_end or exception.new_start)
    return last_end
