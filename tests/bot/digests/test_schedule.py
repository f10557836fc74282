"""Due times: local wall-clock schedules across time zones, DST changes and weekdays."""

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.digests.schedule import (
    DigestSchedule,
    decide_slot,
    latest_due_at_or_before,
    next_due_after,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_next_due_is_today_when_the_local_time_is_still_ahead() -> None:
    schedule = DigestSchedule(time(8, 0), "Europe/Kyiv")
    # 05:00 UTC is 07:00 in Kyiv in winter (UTC+2).
    assert next_due_after(schedule, utc(2026, 1, 15, 5, 0)) == utc(2026, 1, 15, 6, 0)


def test_next_due_is_tomorrow_when_the_local_time_has_passed() -> None:
    schedule = DigestSchedule(time(8, 0), "America/New_York")
    assert next_due_after(schedule, utc(2026, 1, 15, 13, 0)) == utc(2026, 1, 16, 13, 0)


def test_the_due_instant_itself_is_not_after_itself() -> None:
    schedule = DigestSchedule(time(8, 0), "UTC")
    assert next_due_after(schedule, utc(2026, 1, 15, 8, 0)) == utc(2026, 1, 16, 8, 0)
    assert latest_due_at_or_before(schedule, utc(2026, 1, 15, 8, 0)) == utc(2026, 1, 15, 8, 0)


def test_a_time_zone_east_of_utc_can_be_due_on_the_previous_utc_date() -> None:
    schedule = DigestSchedule(time(7, 0), "Pacific/Auckland")  # UTC+13 in January
    assert next_due_after(schedule, utc(2026, 1, 14, 12, 0)) == utc(2026, 1, 14, 18, 0)


def test_the_same_local_time_moves_in_utc_when_summer_time_starts() -> None:
    schedule = DigestSchedule(time(8, 0), "Europe/Berlin")
    # Clocks go forward on 29 March 2026: 08:00 is 07:00 UTC before and 06:00 UTC after.
    assert next_due_after(schedule, utc(2026, 3, 28, 0, 0)) == utc(2026, 3, 28, 7, 0)
    assert next_due_after(schedule, utc(2026, 3, 28, 7, 0)) == utc(2026, 3, 29, 6, 0)


def test_a_time_in_the_spring_gap_is_sent_once_right_after_the_jump() -> None:
    # In New York 02:30 does not exist on 8 March 2026 (02:00 jumps to 03:00 EDT).
    schedule = DigestSchedule(time(2, 30), "America/New_York")
    due = next_due_after(schedule, utc(2026, 3, 8, 0, 0))
    assert due == utc(2026, 3, 8, 7, 30)  # 03:30 EDT
    assert next_due_after(schedule, due) == utc(2026, 3, 9, 6, 30)  # 02:30 EDT next day


def test_a_time_in_the_autumn_fold_is_sent_once_at_its_first_occurrence() -> None:
    # In New York 01:30 happens twice on 1 November 2026; the first is 05:30 UTC (EDT).
    schedule = DigestSchedule(time(1, 30), "America/New_York")
    due = next_due_after(schedule, utc(2026, 11, 1, 0, 0))
    assert due == utc(2026, 11, 1, 5, 30)
    assert next_due_after(schedule, due) == utc(2026, 11, 2, 6, 30)


def test_weekday_schedules_skip_days_that_are_off() -> None:
    weekdays = DigestSchedule(time(9, 0), "Europe/London", frozenset(range(5)))
    friday_evening = utc(2026, 1, 16, 18, 0)  # 16 January 2026 is a Friday
    assert next_due_after(weekdays, friday_evening) == utc(2026, 1, 19, 9, 0)  # Monday


def test_weekdays_are_local_weekdays_not_utc_weekdays() -> None:
    # Sunday only, 07:00 in Tokyo = Saturday 22:00 UTC.
    sundays = DigestSchedule(time(7, 0), "Asia/Tokyo", frozenset({6}))
    assert next_due_after(sundays, utc(2026, 1, 12, 0, 0)) == utc(2026, 1, 17, 22, 0)


def test_no_days_means_never_due() -> None:
    schedule = DigestSchedule(time(8, 0), "UTC", frozenset())
    assert next_due_after(schedule, utc(2026, 1, 1)) is None
    assert not decide_slot(schedule, utc(2026, 1, 1)).send


def test_an_unknown_time_zone_falls_back_to_utc() -> None:
    schedule = DigestSchedule(time(8, 0), "Mars/Olympus_Mons")
    assert next_due_after(schedule, utc(2026, 1, 1)) == utc(2026, 1, 1, 8, 0)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        next_due_after(DigestSchedule(time(8, 0)), datetime(2026, 1, 1))


def test_a_digest_missed_within_the_grace_period_is_sent_once() -> None:
    schedule = DigestSchedule(time(8, 0), "UTC")
    decision = decide_slot(schedule, utc(2026, 1, 15, 11, 0), grace=timedelta(hours=6))
    assert decision.send
    assert decision.slot == utc(2026, 1, 15, 8, 0)
    assert decision.next_due_at == utc(2026, 1, 16, 8, 0)


def test_a_digest_missed_longer_than_the_grace_period_is_skipped() -> None:
    schedule = DigestSchedule(time(8, 0), "UTC")
    decision = decide_slot(schedule, utc(2026, 1, 15, 15, 0), grace=timedelta(hours=6))
    assert not decision.send
    assert decision.next_due_at == utc(2026, 1, 16, 8, 0)


def test_several_missed_days_send_only_the_latest_digest() -> None:
    schedule = DigestSchedule(time(8, 0), "UTC")
    # Down from Monday to Thursday 09:00: only Thursday's digest goes out.
    decision = decide_slot(schedule, utc(2026, 1, 15, 9, 0))
    assert decision.slot == utc(2026, 1, 15, 8, 0)
    assert decision.next_due_at == utc(2026, 1, 16, 8, 0)
