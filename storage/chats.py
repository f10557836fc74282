"""Chats and their preferences."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import aiosqlite

from storage.database import Database
from storage.errors import StorageError
from storage.models import Chat
from storage.timestamps import from_epoch, now_utc, to_epoch

CHAT_COLUMNS = (
    "id, kind, language, time_zone, digest_time, digest_days, summary_length, active, paused,"
    " message_thread_id, last_digest_at, next_digest_at, digest_max_stories, digest_notify_empty,"
    " digest_lookback_hours"
)


def encode_days(days: frozenset[int]) -> str:
    """Weekdays (0 = Monday) as a string of digits."""
    return "".join(str(day) for day in sorted(days) if 0 <= day <= 6)


def encode_time(moment: time | None) -> str | None:
    """A digest time as ``HH:MM``."""
    return None if moment is None else moment.strftime("%H:%M")


def chat_from_row(row: aiosqlite.Row | tuple[Any, ...]) -> Chat:
    """Build a Chat from a row selected with CHAT_COLUMNS."""
    digest_time = time.fromisoformat(row[4]) if row[4] else None
    return Chat(
        id=row[0],
        kind=row[1],
        language=row[2],
        time_zone=row[3],
        digest_time=digest_time,
        digest_days=frozenset(int(day) for day in row[5]),
        summary_length=row[6],
        active=bool(row[7]),
        paused=bool(row[8]),
        message_thread_id=row[9],
        last_digest_at=from_epoch(row[10]),
        next_digest_at=from_epoch(row[11]),
        max_stories=row[12],
        notify_empty=bool(row[13]),
        lookback_hours=row[14],
    )


async def fetch_chat(connection: aiosqlite.Connection, chat_id: int) -> Chat | None:
    """One chat or None."""
    async with connection.execute(
        f"SELECT {CHAT_COLUMNS} FROM chats WHERE id = ?", (chat_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return chat_from_row(row) if row else None


async def ensure_chat(
    connection: aiosqlite.Connection,
    chat_id: int,
    *,
    kind: str | None,
    language: str | None,
    now: datetime,
) -> Chat:
    """Create the chat or reactivate it; the stored language is kept once set, and the stored
    kind unless ``kind`` is given."""
    await connection.execute(
        "INSERT INTO chats (id, kind, language, created_at)"
        " VALUES (?, coalesce(?, 'private'), ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET active = 1, kind = coalesce(?, chats.kind),"
        " language = coalesce(chats.language, excluded.language)",
        (chat_id, kind, language, to_epoch(now), kind),
    )
    chat = await fetch_chat(connection, chat_id)
    assert chat is not None  # just written in this transaction
    return chat


async def update_chat(
    connection: aiosqlite.Connection, chat_id: int, changes: dict[str, Any]
) -> bool:
    """Set the given columns; False when the chat does not exist."""
    if not changes:
        async with connection.execute("SELECT 1 FROM chats WHERE id = ?", (chat_id,)) as cursor:
            return await cursor.fetchone() is not None
    assignments = ", ".join(f"{column} = ?" for column in changes)
    cursor = await connection.execute(
        f"UPDATE chats SET {assignments} WHERE id = ?", (*changes.values(), chat_id)
    )
    return cursor.rowcount > 0


async def forget_chat(connection: aiosqlite.Connection, chat_id: int) -> None:
    """Delete the chat; subscriptions and deliveries go with it (ON DELETE CASCADE)."""
    await connection.execute("DELETE FROM chats WHERE id = ?", (chat_id,))


async def active_chats(connection: aiosqlite.Connection) -> list[Chat]:
    """Every active chat."""
    async with connection.execute(
        f"SELECT {CHAT_COLUMNS} FROM chats WHERE active = 1 ORDER BY id"
    ) as cursor:
        return [chat_from_row(row) for row in await cursor.fetchall()]


class _Unset:
    """Marker for 'leave this field unchanged' in partial updates."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


class Chats:
    """Chats and their preferences: ``store.chats``."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def ensure(
        self, chat_id: int, *, kind: str | None = None, language: str | None = None
    ) -> Chat:
        """Return the chat, creating it; a chat marked inactive becomes active again.

        Without ``kind`` a new chat is private and a known one keeps its kind (a channel
        changed from a private chat stays a channel).
        """
        async with self._db.write() as connection:
            return await ensure_chat(
                connection, chat_id, kind=kind, language=language, now=now_utc()
            )

    async def get(self, chat_id: int) -> Chat | None:
        """Return the chat or None."""
        async with self._db.lookup() as connection:
            return await fetch_chat(connection, chat_id)

    async def update(
        self,
        chat_id: int,
        *,
        time_zone: str | _Unset = UNSET,
        digest_time: time | _Unset | None = UNSET,
        digest_days: frozenset[int] | _Unset = UNSET,
        summary_length: str | _Unset = UNSET,
        language: str | _Unset | None = UNSET,
        paused: bool | _Unset = UNSET,
        message_thread_id: int | _Unset | None = UNSET,
        last_digest_at: datetime | _Unset | None = UNSET,
        max_stories: int | _Unset = UNSET,
        notify_empty: bool | _Unset = UNSET,
        lookback_hours: int | _Unset = UNSET,
    ) -> Chat:
        """Change some preferences of an existing chat and return it (UNSET leaves one as is)."""
        changes: dict[str, Any] = {}
        if not isinstance(time_zone, _Unset):
            changes["time_zone"] = time_zone
        if not isinstance(digest_time, _Unset):
            changes["digest_time"] = encode_time(digest_time)
        if not isinstance(digest_days, _Unset):
            changes["digest_days"] = encode_days(digest_days)
        if not isinstance(summary_length, _Unset):
            changes["summary_length"] = summary_length
        if not isinstance(language, _Unset):
            changes["language"] = language
        if not isinstance(paused, _Unset):
            changes["paused"] = int(paused)
        if not isinstance(message_thread_id, _Unset):
            changes["message_thread_id"] = message_thread_id
        if not isinstance(last_digest_at, _Unset):
            changes["last_digest_at"] = to_epoch(last_digest_at)
        # A digest of 1 to 20 stories looking back 1 hour to a week: what its cards can show.
        if not isinstance(max_stories, _Unset):
            changes["digest_max_stories"] = max(1, min(int(max_stories), 20))
        if not isinstance(notify_empty, _Unset):
            changes["digest_notify_empty"] = int(notify_empty)
        if not isinstance(lookback_hours, _Unset):
            changes["digest_lookback_hours"] = max(1, min(int(lookback_hours), 24 * 7))
        async with self._db.write() as connection:
            if not await update_chat(connection, chat_id, changes):
                raise StorageError(f"no chat {chat_id}; call ensure_chat first")
            chat = await fetch_chat(connection, chat_id)
        assert chat is not None
        return chat

    async def set_active(self, chat_id: int, active: bool) -> None:
        """Mark a chat (in)active, e.g. inactive after Telegram answers 403."""
        async with self._db.write() as connection:
            await update_chat(connection, chat_id, {"active": int(active)})

    async def forget(self, chat_id: int) -> None:
        """Delete everything stored about a chat, from the WAL too."""
        async with self._db.write() as connection:
            await forget_chat(connection, chat_id)
        await self._db.checkpoint()

    async def active(self) -> list[Chat]:
        """Every active chat, for schedulers."""
        async with self._db.read() as connection:
            return await active_chats(connection)
