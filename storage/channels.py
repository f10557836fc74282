"""Channels (and groups) managed from a private chat: who set each up, and open sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.database import Database
from storage.timestamps import now_utc, to_epoch

__all__ = ["ChannelSessions", "ManagedChat"]


@dataclass(frozen=True, slots=True)
class ManagedChat:
    """A channel or group someone manages from their private chat."""

    chat_id: int
    name: str
    set_by: int
    lost_rights_notified: bool


class ChannelSessions:
    """Channels managed from a private chat, and their sessions: ``store.channels``."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def remember(
        self, chat_id: int, name: str, *, user_id: int, now: datetime | None = None
    ) -> ManagedChat:
        """Note that ``user_id`` manages ``chat_id``; the first one to do so set it up."""
        async with self._db.write() as connection:
            await connection.execute(
                "INSERT INTO managed_chats (chat_id, name, set_by, since) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET name = excluded.name",
                (chat_id, name, user_id, to_epoch(now or now_utc())),
            )
        managed = await self.managed(chat_id)
        assert managed is not None  # just written
        return managed

    async def open(
        self,
        private_chat_id: int,
        chat_id: int,
        name: str,
        *,
        user_id: int,
        now: datetime | None = None,
    ) -> ManagedChat:
        """Manage ``chat_id`` from ``private_chat_id`` until closed."""
        managed = await self.remember(chat_id, name, user_id=user_id, now=now)
        async with self._db.write() as connection:
            await connection.execute(
                "INSERT INTO channel_sessions (private_chat_id, chat_id) VALUES (?, ?)"
                " ON CONFLICT (private_chat_id) DO UPDATE SET chat_id = excluded.chat_id",
                (private_chat_id, chat_id),
            )
        return managed

    async def close(self, private_chat_id: int) -> ManagedChat | None:
        """End the session; returns the chat it was managing, if any."""
        current = await self.session(private_chat_id)
        async with self._db.write() as connection:
            await connection.execute(
                "DELETE FROM channel_sessions WHERE private_chat_id = ?", (private_chat_id,)
            )
        return current

    async def session(self, private_chat_id: int) -> ManagedChat | None:
        """The chat ``private_chat_id`` is managing now, or None."""
        async with (
            self._db.read() as connection,
            connection.execute(
                "SELECT m.chat_id, m.name, m.set_by, m.lost_rights_notified FROM channel_sessions s"
                " JOIN managed_chats m ON m.chat_id = s.chat_id WHERE s.private_chat_id = ?",
                (private_chat_id,),
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return None if row is None else ManagedChat(row[0], row[1], row[2], bool(row[3]))

    async def managed(self, chat_id: int) -> ManagedChat | None:
        """The managed chat, or None if nobody manages it from a private chat."""
        async with (
            self._db.read() as connection,
            connection.execute(
                "SELECT chat_id, name, set_by, lost_rights_notified FROM managed_chats"
                " WHERE chat_id = ?",
                (chat_id,),
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return None if row is None else ManagedChat(row[0], row[1], row[2], bool(row[3]))

    async def mark_lost_rights(self, chat_id: int, *, lost: bool) -> bool:
        """Record that the setter was told (lost) or that rights are back; True if it changed."""
        async with self._db.write() as connection:
            cursor = await connection.execute(
                "UPDATE managed_chats SET lost_rights_notified = ?"
                " WHERE chat_id = ? AND lost_rights_notified = ?",
                (int(lost), chat_id, int(not lost)),
            )
            return cursor.rowcount > 0
