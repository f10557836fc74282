"""Conversions between timezone-aware datetimes and the integer Unix seconds stored in SQLite."""

from __future__ import annotations

from datetime import UTC, datetime


def to_epoch(moment: datetime | None) -> int | None:
    """Unix seconds; a naive datetime is taken as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def from_epoch(seconds: int | None) -> datetime | None:
    """A UTC datetime, or None."""
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def now_utc() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)
