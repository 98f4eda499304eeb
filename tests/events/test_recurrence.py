"""Recurrence expansion in local time, bounded, with exceptions."""

from datetime import date, datetime, timedelta

import pytest

from events import recurrence
from events.recurrence import LOCAL_TZ, Exception_, Rule, expand, series_end


def at(y, m, d, h=10, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=LOCAL_TZ)


def local_times(occurrences):
    return [
        (o.start.astimezone(LOCAL_TZ).date(), o.start.astimezone(LOCAL_TZ).hour)
        for o in occurrences
    ]


def test_single_event_has_one_occurrence():
    result = expand(at(2026, 12, 1), at(2026, 12, 1, 12), Rule())
    assert len(result) == 1
    assert result[0].start == at(2026, 12, 1)


def test_weekly_with_count():
    result = expand(at(2026, 12, 1), at(2026, 12, 1, 12), Rule(frequency="weekly", count=4))
    assert [o.start.date() for o in result] == [
        date(2026, 12, 1),
        date(2026, 12, 8),
        date(2026, 12, 15),
        date(2026, 12, 22),
    ]


def test_biweekly_until_is_inclusive():
    result = expand(
        at(2026, 12, 1), at(2026, 12, 1, 12), Rule(frequency="biweekly", until=date(2027, 1, 12))
    )
    assert [o.start.date() for o in result] == [
        date(2026, 12, 1),
        date(2026, 12, 15),
        date(2026, 12, 29),
        date(2027, 1, 12),
    ]


def test_monthly_second_tuesday():
    # 8 December 2026 is the second Tuesday of December.
    result = expand(
        at(2026, 12, 8),
        at(2026, 12, 8, 12),
        Rule(frequency="monthly_nth", week_of_month=2, count=3),
    )
    assert [o.start.date() for o in result] == [
        date(2026, 12, 8),
        date(2027, 1, 12),
        date(2027, 2, 9),
    ]


def test_monthly_last_friday():
    result = expand(
        at(2026, 11, 27, 17),
        at(2026, 11, 27, 19),
        Rule(frequency="monthly_nth", week_of_month=-1, count=4),
    )
    assert [o.start.date() for o in result] == [
        date(2026, 11, 27),
        date(2026, 12, 25),
        date(2027, 1, 29),
        date(2027, 2, 26),
    ]


def test_week_of_month_defaults_to_that_of_the_first_date():
    assert recurrence.default_week_of_month(date(2026, 12, 8)) == 2
    assert recurrence.default_week_of_month(date(2026, 12, 29)) == -1


def test_local_time_stays_the_same_across_spring_dst_change():
    # Summer time starts on Sunday 28 March 2027: 10:00 must stay 10:00 (UTC offset changes).
    result = expand(at(2027, 3, 21), at(2027, 3, 21, 12), Rule(frequency="weekly", count=3))
    assert local_times(result) == [
        (date(2027, 3, 21), 10),
        (date(2027, 3, 28), 10),
        (date(2027, 4, 4), 10),
    ]
    assert result[0].start.utcoffset() == timedelta(hours=1)
    assert result[1].start.utcoffset() == timedelta(hours=2)
    assert result[1].end - result[1].start == timedelta(hours=2)


def test_local_time_stays_the_same_across_autumn_dst_change():
    # Winter time starts on Sunday 25 October 2026.
    result = expand(at(2026, 10, 18), at(2026, 10, 18, 12), Rule(frequency="weekly", count=3))
    assert local_times(result) == [
        (date(2026, 10, 18), 10),
        (date(2026, 10, 25), 10),
        (date(2026, 11, 1), 10),
    ]
    assert result[0].start.utcoffset() == timedelta(hours=2)
    assert result[1].start.utcoffset() == timedelta(hours=1)


def test_cancelled_exception_is_kept_but_marked():
    result = expand(
        at(2026, 12, 1),
        at(2026, 12, 1, 12),
        Rule(frequency="weekly", count=3),
        [Exception_(date=date(2026, 12, 8), kind="cancelled", note="Sinterklaas")],
    )
    assert [o.is_cancelled for o in result] == [False, True, False]
    assert result[1].note == "Sinterklaas"


def test_moved_exception_uses_new_time_and_keeps_original():
    new_start = at(2026, 12, 9, 14)
    result = expand(
        at(2026, 12, 1),
        at(2026, 12, 1, 12),
        Rule(frequency="weekly", count=3),
        [Exception_(date=date(2026, 12, 8), kind="moved", new_start=new_start)],
    )
    moved = result[1]
    assert moved.start == new_start
    assert moved.end == new_start + timedelta(hours=2)  # duration kept when no new end
    assert moved.moved_from == at(2026, 12, 8)
    assert moved.original_date == date(2026, 12, 8)


def test_window_limits_expansion():
    result = expand(
        at(2026, 12, 1),
        at(2026, 12, 1, 12),
        Rule(frequency="weekly", count=100),
        window_start=at(2027, 1, 1, 0),
        window_end=at(2027, 2, 1, 0),
    )
    assert [o.start.date().month for o in result] == [1, 1, 1, 1]
    assert result[0].start.date() == date(2027, 1, 5)


def test_expansion_is_capped():
    result = expand(at(2026, 12, 1), at(2026, 12, 1, 11), Rule(frequency="weekly", count=10_000))
    assert len(result) <= recurrence.MAX_OCCURRENCES
    unbounded = expand(at(2026, 12, 1), at(2026, 12, 1, 11), Rule(frequency="weekly"))
    assert unbounded[-1].start <= at(2026, 12, 1) + timedelta(days=recurrence.MAX_SERIES_DAYS)


def test_series_end_covers_last_occurrence_and_moves():
    rule = Rule(frequency="weekly", count=3)
    assert series_end(at(2026, 12, 1), at(2026, 12, 1, 12), rule) == at(2026, 12, 15, 12)
    moved = Exception_(
        date=date(2026, 12, 15),
        kind="moved",
        new_start=at(2026, 12, 20, 10),
        new_end=at(2026, 12, 20, 12),
    )
    assert series_end(at(2026, 12, 1), at(2026, 12, 1, 12), rule, [moved]) == at(2026, 12, 20, 12)


@pytest.mark.parametrize("frequency", ["weekly", "biweekly", "monthly_nth"])
def test_every_occurrence_keeps_the_local_start_time(frequency):
    result = expand(at(2026, 9, 1, 19, 30), at(2026, 9, 1, 21), Rule(frequency=frequency, count=20))
    assert {
        (o.start.astimezone(LOCAL_TZ).hour, o.start.astimezone(LOCAL_TZ).minute) for o in result
    } == {(19, 30)}
