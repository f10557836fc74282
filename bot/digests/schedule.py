"""When a chat's digest is due: local wall-clock times turned into UTC instants with zoneinfo.

A schedule is a time of day, an IANA time zone and a set of weekdays (0 = Monday). Each local
date yields at most one instant, so a digest is never sent twice on the night clocks go back:

- in a gap (the clock jumps from 02:00 to 03:00), a missing 02:30 becomes 03:30, the instant
  the wall clock would have shown had it not jumped (PEP 495's ``fold=0`` reading);
- in a fold (01:00-02:00 happens twice), the first occurrence is taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from storage.models import Chat

__all__ = [
    "DEFAULT_CATCH_UP_GRACE",
    "DigestSchedule",
    "SlotDecision",
    "decide_slot",
    "latest_due_at_or_before",
    "next_due_after",
    "schedule_of",
    "zone",
]

DEFAULT_CATCH_UP_GRACE = timedelta(hours=6)
ALL_DAYS = frozenset(range(7))
# Looking 8 local days either way always finds a slot when at least one weekday is enabled.
_SEARCH_DAYS = 8


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name, falling back to UTC for an unknown or empty name."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class DigestSchedule:
    """A daily digest time in a time zone, on some weekdays (0 = Monday ... 6 = Sunday)."""

    time_of_day: time
    time_zone: str = "UTC"
    days: frozenset[int] = ALL_DAYS

    def occurrence_on(self, local_day: date) -> datetime:
        """The UTC instant of this schedule's time on ``local_day`` (ignoring weekdays)."""
        wall = datetime.combine(local_day, self.time_of_day.replace(tzinfo=None, fold=0))
        return wall.replace(tzinfo=zone(self.time_zone)).astimezone(UTC)


def schedule_of(chat: Chat) -> DigestSchedule | None:
    """The chat's schedule, or None when its digest is off."""
    if chat.digest_time is None:
        return None
    return DigestSchedule(chat.digest_time, chat.time_zone, chat.digest_days)


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: digest times are compared as aware UTC instants")


def next_due_after(schedule: DigestSchedule, instant: datetime) -> datetime | None:
    """The first digest instant strictly after ``instant`` (UTC), or None when no day is on."""
    _require_aware(instant)
    if not schedule.days:
        return None
    local_today = instant.astimezone(zone(schedule.time_zone)).date()
    # Start a day early: a slot on the previous local date can still lie ahead in UTC terms
    # only for absurd offsets, but starting early costs nothing and keeps the search obvious.
    for offset in range(-1, _SEARCH_DAYS):
        day = local_today + timedelta(days=offset)
        if day.weekday() not in schedule.days:
            continue
        due = schedule.occurrence_on(day)
        if due > instant:
            return due
    return None


def latest_due_at_or_before(schedule: DigestSchedule, instant: datetime) -> datetime | None:
    """The last digest instant at or before ``instant`` (UTC), or None when no day is on."""
    _require_aware(instant)
    if not schedule.days:
        return None
    local_today = instant.astimezone(zone(schedule.time_zone)).date()
    for offset in range(1, -_SEARCH_DAYS, -1):
        day = local_today + timedelta(days=offset)
        if day.weekday() not in schedule.days:
            continue
        due = schedule.occurrence_on(day)
        if due <= instant:
            return due
    return None


@dataclass(frozen=True, slots=True)
class SlotDecision:
    """What a tick does with a chat whose stored due time has passed."""

    send: bool
    slot: datetime | None
    next_due_at: datetime | None


def decide_slot(
    schedule: DigestSchedule,
    now: datetime,
    *,
    grace: timedelta = DEFAULT_CATCH_UP_GRACE,
) -> SlotDecision:
    """Send the latest slot if it is at most ``grace`` old (catch-up); older slots are skipped.

    However many slots were missed while the bot was down, at most one digest goes out, and
    the next due time is always strictly in the future, so a chat cannot be picked twice.
    """
    latest = latest_due_at_or_before(schedule, now)
    send = latest is not None and now - latest <= grace
    return SlotDecision(
        send=send, slot=latest if send else None, next_due_at=next_due_after(schedule, now)
    )
