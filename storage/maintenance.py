"""Operator chores on the database file: online backup, integrity check and counts."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from storage.database import Database
from storage.errors import StorageError
from storage.timestamps import to_epoch


@dataclass(frozen=True, slots=True)
class DatabaseStats:
    """What the database holds, for ``newsbot stats``."""

    articles: int
    headlines: int
    feeds: int
    failing_feeds: int
    chats: int
    active_chats: int
    subscriptions: int
    deliveries_last_day: int


def _backup(source: Path, destination: Path) -> None:
    if not source.exists():
        raise StorageError(f"no database at {source}")
    if destination.exists():
        raise StorageError(f"{destination} already exists; choose a new file name")
    # A mistyped destination must fail, not grow a tree of folders.
    if not destination.parent.is_dir():
        raise StorageError(f"cannot write {destination}: no directory {destination.parent}")
    try:
        source_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise StorageError(f"cannot open the database {source}: {error}") from error
    try:
        destination_db = sqlite3.connect(destination)
        try:
            # One step copies every page under a single read transaction: in WAL mode that is
            # a consistent snapshot and never blocks the bot's writer.
            source_db.backup(destination_db)
        finally:
            destination_db.close()
    except sqlite3.Error as error:
        destination.unlink(missing_ok=True)
        raise StorageError(f"backup to {destination} failed: {error}") from error
    finally:
        source_db.close()


async def backup_database(source: Path, destination: Path) -> None:
    """Copy a live database to ``destination`` with SQLite's online backup."""
    await asyncio.to_thread(_backup, source, destination)


async def integrity_problems(database: Database) -> list[str]:
    """The lines of ``PRAGMA integrity_check`` that are not 'ok' (empty when healthy)."""
    async with (
        database.read() as connection,
        connection.execute("PRAGMA integrity_check") as cursor,
    ):
        rows = await cursor.fetchall()
    return [str(row[0]) for row in rows if row[0] != "ok"]


async def collect_stats(database: Database, now: datetime) -> DatabaseStats:
    """Count what the database holds and the digest stories sent in the last day."""
    since = to_epoch(now - timedelta(days=1))
    query = """
        SELECT
            (SELECT count(*) FROM articles),
            (SELECT count(*) FROM headlines WHERE article_id IS NULL),
            (SELECT count(*) FROM feeds),
            (SELECT count(*) FROM feeds WHERE failures > 0),
            (SELECT count(*) FROM chats),
            (SELECT count(*) FROM chats WHERE active = 1 AND paused = 0),
            (SELECT count(*) FROM subscriptions),
            (SELECT count(*) FROM deliveries WHERE delivered_at >= ?)
    """
    async with database.read() as connection, connection.execute(query, (since,)) as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return DatabaseStats(*(int(value) for value in row))
