"""Delivery "as it happens": modes per chat, topic and source, quiet hours, the queue, the cap."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.database import Database
from storage.sql import placeholders
from storage.timestamps import from_epoch, to_epoch

__all__ = ["DELIVERY_MODES", "LiveQueries", "QueuedStory", "SourceMode"]

DELIVERY_MODES = ("daily", "live", "off")


@dataclass(frozen=True, slots=True)
class QueuedStory:
    """A story waiting to be posted to a chat, and the topic that matched it."""

    chat_id: int
    story_id: int
    article_id: int
    topic: str


@dataclass(frozen=True, slots=True)
class SourceMode:
    """A feed a chat follows and its own delivery mode (None: the chat's default)."""

    feed_id: int
    title: str | None
    mode: str | None


class LiveQueries:
    """Delivery as it happens (modes, quiet hours, the queue): ``store.live``."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def set_mode(self, chat_id: int, topic: str, mode: str) -> None:
        """``mode`` for one topic, or for the whole chat with ``topic`` ''."""
        if mode not in DELIVERY_MODES:
            raise ValueError(f"mode must be one of {DELIVERY_MODES}")
        async with self._db.write() as connection:
            await connection.execute(
                "INSERT INTO delivery_modes (chat_id, topic, mode) VALUES (?, ?, ?)"
                " ON CONFLICT (chat_id, topic) DO UPDATE SET mode = excluded.mode",
                (chat_id, topic, mode),
            )

    async def modes(self, chat_id: int) -> dict[str, str]:
        """The chat's modes by topic ('' for the chat's default)."""
        async with (
            self._db.read() as connection,
            connection.execute(
                "SELECT topic, mode FROM delivery_modes WHERE chat_id = ?", (chat_id,)
            ) as cursor,
        ):
            return {row[0]: row[1] for row in await cursor.fetchall()}

    async def set_source_mode(self, chat_id: int, feed_id: int, mode: str | None) -> bool:
        """A followed feed's mode (None: the chat's default); False when the chat does not
        follow the feed."""
        if mode is not None and mode not in DELIVERY_MODES:
            raise ValueError(f"mode must be one of {DELIVERY_MODES}")
        async with self._db.write() as connection:
            cursor = await connection.execute(
                "UPDATE chat_sources SET delivery = ?"
                " WHERE chat_id = ? AND feed_id = ? AND follow = 1",
                (mode, chat_id, feed_id),
            )
            return cursor.rowcount > 0

    async def source_modes(self, chat_id: int) -> list[SourceMode]:
        """The feeds the chat follows, each with its own mode (None: the chat's default)."""
        async with (
            self._db.read() as connection,
            connection.execute(
                "SELECT f.id, f.title, s.delivery FROM chat_sources s"
                " JOIN feeds f ON f.id = s.feed_id WHERE s.chat_id = ? AND s.follow = 1"
                " ORDER BY f.id",
                (chat_id,),
            ) as cursor,
        ):
            return [SourceMode(*row) for row in await cursor.fetchall()]

    async def set_quiet_hours(self, chat_id: int, hours: tuple[int, int] | None) -> None:
        """Quiet from ``hours[0]`` to ``hours[1]`` (minutes after midnight), or never (None)."""
        async with self._db.write() as connection:
            if hours is None:
                await connection.execute("DELETE FROM quiet_hours WHERE chat_id = ?", (chat_id,))
                return
            await connection.execute(
                "INSERT INTO quiet_hours (chat_id, start_minute, end_minute) VALUES (?, ?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET start_minute = excluded.start_minute,"
                " end_minute = excluded.end_minute",
                (chat_id, *hours),
            )

    async def quiet_hours(self, chat_id: int) -> tuple[int, int] | None:
        """The chat's quiet hours in minutes after midnight, or None."""
        async with (
            self._db.read() as connection,
            connection.execute(
                "SELECT start_minute, end_minute FROM quiet_hours WHERE chat_id = ?", (chat_id,)
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return None if row is None else (row[0], row[1])

    async def live_topics(self) -> dict[str, list[int]]:
        """For each topic, the active, unpaused chats that follow it as it happens."""
        topics: dict[str, list[int]] = {}
        async with (
            self._db.read() as connection,
            connection.execute(
                "SELECT s.topic, s.chat_id FROM subscriptions s JOIN chats c ON c.id = s.chat_id"
                " LEFT JOIN delivery_modes t ON t.chat_id = s.chat_id AND t.topic = s.topic"
                " LEFT JOIN delivery_modes d ON d.chat_id = s.chat_id AND d.topic = ''"
                " WHERE c.active = 1 AND c.paused = 0"
                " AND coalesce(t.mode, d.mode, 'daily') = 'live' ORDER BY s.topic, s.chat_id"
            ) as cursor,
        ):
            for topic, chat_id in await cursor.fetchall():
                topics.setdefault(topic, []).append(chat_id)
        return topics

    async def live_sources(self) -> dict[tuple[int, str], list[int]]:
        """For each feed (id, name), the active, unpaused chats that follow it as it happens."""
        sources: dict[tuple[int, str], list[int]] = {}
        async with (
            self._db.read() as connection,
            connection.execute(
                "SELECT s.feed_id, coalesce(f.title, 'feed ' || f.id), s.chat_id"
                " FROM chat_sources s JOIN chats c ON c.id = s.chat_id"
                " JOIN feeds f ON f.id = s.feed_id"
                " LEFT JOIN delivery_modes d ON d.chat_id = s.chat_id AND d.topic = ''"
                " WHERE s.follow = 1 AND c.active = 1 AND c.paused = 0"
                " AND coalesce(s.delivery, d.mode, 'daily') = 'live' ORDER BY s.feed_id, s.chat_id"
            ) as cursor,
        ):
            for feed_id, name, chat_id in await cursor.fetchall():
                sources.setdefault((feed_id, name), []).append(chat_id)
        return sources

    async def scanned_until(self) -> datetime | None:
        """Articles fetched up to this time were matched already; None before the first scan."""
        async with (
            self._db.read() as connection,
            connection.execute("SELECT scanned_until FROM live_scan WHERE id = 1") as cursor,
        ):
            row = await cursor.fetchone()
        return None if row is None else from_epoch(row[0])

    async def enqueue(
        self, stories: Iterable[QueuedStory], *, scanned_until: datetime, now: datetime
    ) -> int:
        """Queue stories not delivered or queued yet, and move the watermark, in one transaction."""
        added = 0
        async with self._db.write() as connection:
            for story in stories:
                cursor = await connection.execute(
                    "INSERT OR IGNORE INTO live_queue"
                    " (chat_id, story_id, article_id, topic, queued_at)"
                    " SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM deliveries d"
                    " JOIN articles a ON a.id = d.article_id"
                    " WHERE d.chat_id = ? AND a.story_id = ?)",
                    (
                        story.chat_id,
                        story.story_id,
                        story.article_id,
                        story.topic,
                        to_epoch(now),
                        story.chat_id,
                        story.story_id,
                    ),
                )
                added += cursor.rowcount
            await connection.execute(
                "INSERT INTO live_scan (id, scanned_until) VALUES (1, ?)"
                " ON CONFLICT (id) DO UPDATE SET scanned_until = excluded.scanned_until",
                (to_epoch(scanned_until),),
            )
        return added

    async def pending_chats(self) -> list[int]:
        """Chats with queued stories."""
        async with (
            self._db.read() as connection,
            connection.execute(
                "SELECT DISTINCT chat_id FROM live_queue ORDER BY chat_id"
            ) as cursor,
        ):
            return [row[0] for row in await cursor.fetchall()]

    async def pending(self, chat_id: int) -> list[QueuedStory]:
        """The chat's queued stories, oldest first."""
        async with (
            self._db.read() as connection,
            connection.execute(
                "SELECT chat_id, story_id, article_id, topic FROM live_queue WHERE chat_id = ?"
                " ORDER BY queued_at, story_id",
                (chat_id,),
            ) as cursor,
        ):
            return [QueuedStory(*row) for row in await cursor.fetchall()]

    async def delivered(self, chat_id: int, story_ids: Sequence[int]) -> set[int]:
        """Which of the stories already have an article in the chat's delivery log."""
        if not story_ids:
            return set()
        marks = placeholders(len(story_ids))
        async with (
            self._db.read() as connection,
            connection.execute(
                "SELECT DISTINCT a.story_id FROM deliveries d"
                " JOIN articles a ON a.id = d.article_id"
                f" WHERE d.chat_id = ? AND a.story_id IN ({marks})",
                (chat_id, *story_ids),
            ) as cursor,
        ):
            return {row[0] for row in await cursor.fetchall()}

    async def done(
        self, chat_id: int, story_ids: Sequence[int], *, posted_at: datetime | None, batched: bool
    ) -> None:
        """Take stories off the queue; count a post (``posted_at``) towards the hourly cap."""
        async with self._db.write() as connection:
            await connection.executemany(
                "DELETE FROM live_queue WHERE chat_id = ? AND story_id = ?",
                [(chat_id, story_id) for story_id in story_ids],
            )
            if posted_at is not None:
                await connection.execute(
                    "INSERT INTO live_posts (chat_id, posted_at, batched) VALUES (?, ?, ?)",
                    (chat_id, to_epoch(posted_at), int(batched)),
                )

    async def posts_since(self, chat_id: int, since: datetime) -> tuple[int, int]:
        """(single posts, batched messages) to the chat since ``since``."""
        async with (
            self._db.read() as connection,
            connection.execute(
                "SELECT coalesce(sum(batched = 0), 0), coalesce(sum(batched), 0) FROM live_posts"
                " WHERE chat_id = ? AND posted_at >= ?",
                (chat_id, to_epoch(since)),
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return (0, 0) if row is None else (int(row[0]), int(row[1]))
