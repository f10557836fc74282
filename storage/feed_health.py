"""Feed health for operators: which feeds have been failing, since when, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timestamps import from_epoch, to_epoch

__all__ = ["FailingFeed", "failing_feeds_since"]


@dataclass(frozen=True, slots=True)
class FailingFeed:
    """A feed whose polls have failed without a success since ``failing_since``."""

    id: int
    url: str
    title: str | None
    failures: int
    last_error: str | None
    failing_since: datetime


async def failing_feeds_since(
    connection: aiosqlite.Connection, before: datetime
) -> list[FailingFeed]:
    """Feeds failing without a break since ``before`` or earlier, longest failing first."""
    async with connection.execute(
        "SELECT id, url, title, failures, last_error, failing_since FROM feeds"
        " WHERE failures > 0 AND failing_since <= ? ORDER BY failing_since, id",
        (to_epoch(before),),
    ) as cursor:
        rows = await cursor.fetchall()
    failing = []
    for row in rows:
        since = from_epoch(row[5])
        assert since is not None  # the WHERE clause compares it
        failing.append(FailingFeed(row[0], row[1], row[2], row[3], row[4], since))
    return failing
