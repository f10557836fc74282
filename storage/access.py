"""Who may use the bot: users and chats an admin allowed or denied, and when users were last seen.

Entries are keyed by a Telegram id, or by a username alone until that user first writes (an
admin may ``/allow @name`` before knowing the id). A stranger refused automatically is never
written here; only decisions and allowed users are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import Database
from storage.timestamps import from_epoch, now_utc, to_epoch

__all__ = ["AccessEntry", "AccessList", "normalise_username"]

_COLUMNS = "subject_id, username, allowed, since, decided_by, last_seen"
# last_seen is written at most this often per user: a chatty user costs no write per message.
LAST_SEEN_RESOLUTION = 3600


@dataclass(frozen=True, slots=True)
class AccessEntry:
    """One decision: a user (id > 0), a group or channel (id < 0), or a username alone."""

    subject_id: int | None
    username: str | None
    allowed: bool
    since: datetime
    decided_by: int | None
    last_seen: datetime | None


def normalise_username(username: str | None) -> str | None:
    """``@Alice`` and ``alice`` are the same Telegram username."""
    if not username:
        return None
    return username.removeprefix("@").strip().lower() or None


def _entry(row: aiosqlite.Row | tuple[object, ...]) -> AccessEntry:
    since = from_epoch(int(str(row[3])))
    assert since is not None
    return AccessEntry(
        subject_id=None if row[0] is None else int(str(row[0])),
        username=None if row[1] is None else str(row[1]),
        allowed=bool(row[2]),
        since=since,
        decided_by=None if row[4] is None else int(str(row[4])),
        last_seen=from_epoch(None if row[5] is None else int(str(row[5]))),
    )


class AccessList:
    """Who may use the bot: ``store.access``."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def lookup(self, subject_id: int, username: str | None = None) -> AccessEntry | None:
        """The decision for an id, or for its username when only that was given."""
        name = normalise_username(username)
        async with (
            self._db.read() as connection,
            connection.execute(
                f"SELECT {_COLUMNS} FROM access WHERE subject_id = ?"
                " OR (subject_id IS NULL AND username = ?) ORDER BY subject_id IS NULL LIMIT 1",
                (subject_id, name),
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return None if row is None else _entry(row)

    async def decide(
        self,
        *,
        allowed: bool,
        subject_id: int | None = None,
        username: str | None = None,
        decided_by: int | None = None,
        now: datetime | None = None,
    ) -> AccessEntry:
        """Allow or deny an id and/or a username; a later decision replaces an earlier one."""
        name = normalise_username(username)
        if subject_id is None and name is None:
            raise ValueError("a decision needs an id or a username")
        moment = to_epoch(now or now_utc())
        async with self._db.write() as connection:
            # One row per person: drop rows that name the same person by the other key.
            if subject_id is not None and name is not None:
                await connection.execute(
                    "DELETE FROM access WHERE (username = ? AND subject_id IS NOT ?)"
                    " OR (subject_id = ? AND username IS NOT ? AND username IS NOT NULL)",
                    (name, subject_id, subject_id, name),
                )
            key, value = (
                ("subject_id", subject_id) if subject_id is not None else ("username", name)
            )
            cursor = await connection.execute(
                f"UPDATE access SET allowed = ?, since = ?, decided_by = ?,"
                f" username = coalesce(?, username) WHERE {key} = ?",
                (int(allowed), moment, decided_by, name, value),
            )
            if cursor.rowcount == 0:
                await connection.execute(
                    "INSERT INTO access (subject_id, username, allowed, since, decided_by)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (subject_id, name, int(allowed), moment, decided_by),
                )
            async with connection.execute(
                f"SELECT {_COLUMNS} FROM access WHERE {key} = ?", (value,)
            ) as rows:
                row = await rows.fetchone()
        assert row is not None  # just written in this transaction
        return _entry(row)

    async def seen(
        self, user_id: int, username: str | None, *, now: datetime | None = None
    ) -> None:
        """An allowed user wrote: record when (to the hour) and tie a username entry to the id."""
        name = normalise_username(username)
        moment = to_epoch(now or now_utc())
        assert moment is not None
        async with self._db.write() as connection:
            if name is not None:
                await connection.execute(
                    "UPDATE access SET subject_id = ? WHERE subject_id IS NULL AND username = ?"
                    " AND NOT EXISTS (SELECT 1 FROM access WHERE subject_id = ?)",
                    (user_id, name, user_id),
                )
            cursor = await connection.execute(
                "UPDATE access SET last_seen = ?, username = coalesce(?, username)"
                " WHERE subject_id = ? AND coalesce(last_seen, 0) <= ?",
                (moment, name, user_id, moment - LAST_SEEN_RESOLUTION),
            )
            if cursor.rowcount == 0:
                # First message of a user allowed by the configuration: remember them for /users.
                await connection.execute(
                    "INSERT INTO access (subject_id, username, allowed, since, last_seen)"
                    " VALUES (?, ?, 1, ?, ?) ON CONFLICT DO NOTHING",
                    (user_id, name, moment, moment),
                )

    async def entries(self) -> list[AccessEntry]:
        """Every decision, users first (allowed before denied), then groups and channels."""
        async with (
            self._db.read() as connection,
            connection.execute(
                f"SELECT {_COLUMNS} FROM access"
                " ORDER BY coalesce(subject_id, 1) < 0, allowed DESC, since, id"
            ) as cursor,
        ):
            return [_entry(row) for row in await cursor.fetchall()]
