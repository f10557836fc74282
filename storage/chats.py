"""Chats and their preferences."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import aiosqlite

from storage.models import Chat
from storage.timestamps import from_epoch, to_epoch

CHAT_COLUMNS = (
    "id, kind, language, time_zone, digest_time, digest_days, summary_length, active, paused,"
    " message_thread_id, last_digest_at"
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
