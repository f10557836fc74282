"""Digest queries: which chats are due, what is new for them, and the delivery log.

Designed for many chats: due chats come from one indexed range query on ``next_digest_at``;
topic matches are computed once per topic (not per chat); per-chat data is fetched for a page
of chats at a time with ``IN (...)`` lists.

Exactly once: a scheduled digest is recorded whole as a plan (``digest_parts``: each message's
text, buttons and articles) before its first message is sent, its articles written to
``deliveries`` (unique per chat and article) in the same transaction, and each message is
marked once Telegram accepted it. Candidates exclude every story with a delivered article, and
a run interrupted at any point (even by kill -9) resumes from the plan, sending only the
messages not yet marked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

import aiosqlite

from storage.chats import CHAT_COLUMNS, chat_from_row, update_chat
from storage.database import Database
from storage.models import Chat
from storage.sql import chunks, placeholders
from storage.timestamps import from_epoch, to_epoch
from storage.topics import canonical_topic, topic_match_expression

__all__ = [
    "DigestArticle",
    "DigestPlan",
    "DigestQueries",
    "NewReader",
    "PlannedPart",
    "StoryMember",
    "TopicMatch",
    "add_readers",
    "chat_topics",
    "delivered_stories",
    "digest_articles",
    "digest_plans",
    "due_chats",
    "earliest_due",
    "finish_digest",
    "forget_deliveries",
    "mark_part_sent",
    "offer_schedule",
    "record_deliveries",
    "record_plans",
    "release_plan",
    "set_next_digest_times",
    "story_members",
    "topic_matches",
    "unscheduled_chats",
]

# SQLite accepts many more bound parameters, but short IN lists keep each statement quick.


@dataclass(frozen=True, slots=True)
class DigestArticle:
    """The few columns of an article a digest shows (never the body, to keep memory flat)."""

    id: int
    story_id: int
    title: str
    url: str | None
    source: str | None
    published_at: datetime | None
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """An article matching a topic; ``strength`` is positive, higher for a better match."""

    article_id: int
    strength: float


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One article of a story, as needed to credit every source that carries it."""

    article_id: int
    source: str | None


@dataclass(frozen=True, slots=True)
class PlannedPart:
    """One message of a planned digest: its text, reply markup (Bot API JSON) and articles."""

    part: int
    text: str
    keyboard: str | None
    article_ids: tuple[int, ...]
    sent: bool = False


@dataclass(frozen=True, slots=True)
class DigestPlan:
    """A scheduled digest as recorded before sending: the slot it is for and its messages."""

    chat_id: int
    slot_at: datetime
    built_at: datetime
    parts: tuple[PlannedPart, ...]

    @property
    def unsent(self) -> tuple[PlannedPart, ...]:
        """The messages Telegram has not yet accepted, in order."""
        return tuple(part for part in self.parts if not part.sent)


async def unscheduled_chats(connection: aiosqlite.Connection, *, limit: int) -> list[Chat]:
    """Chats with a digest time but no computed due time (new or changed schedules)."""
    async with connection.execute(
        f"SELECT {CHAT_COLUMNS} FROM chats"
        " WHERE digest_time IS NOT NULL AND next_digest_at IS NULL ORDER BY id LIMIT ?",
        (limit,),
    ) as cursor:
        return [chat_from_row(row) for row in await cursor.fetchall()]


async def set_next_digest_times(
    connection: aiosqlite.Connection,
    due_times: Iterable[tuple[int, datetime | None]],
    *,
    only_unscheduled: bool = False,
) -> None:
    """Store each chat's next due time (None: no weekday enabled, never due).

    ``only_unscheduled`` leaves chats that got a due time meanwhile (from their schedule
    change, which knows the moment of the change better than a later tick) as they are.
    """
    # A chat with no due time gets the far future rather than NULL, so it is not recomputed
    # every tick; changing its schedule clears the column again through the trigger.
    never = 2**62
    condition = " AND next_digest_at IS NULL" if only_unscheduled else ""
    await connection.executemany(
        f"UPDATE chats SET next_digest_at = ? WHERE id = ?{condition}",
        [(to_epoch(when) if when else never, chat_id) for chat_id, when in due_times],
    )


async def earliest_due(connection: aiosqlite.Connection) -> datetime | None:
    """The earliest due time of any active, unpaused, scheduled chat (the scheduler's alarm)."""
    async with connection.execute(
        "SELECT min(next_digest_at) FROM chats INDEXED BY chats_due_digest"
        " WHERE active = 1 AND paused = 0 AND digest_time IS NOT NULL"
    ) as cursor:
        row = await cursor.fetchone()
    return from_epoch(row[0]) if row and row[0] is not None and row[0] < 2**62 else None


async def due_chats(
    connection: aiosqlite.Connection,
    now: datetime,
    *,
    limit: int,
    after: tuple[datetime, int] | None = None,
) -> list[Chat]:
    """Active, unpaused chats whose digest is due at ``now``, oldest due first.

    ``after`` is the (next_digest_at, id) of the last chat of the previous page, for keyset
    paging through a long run without offsets.
    """
    where = "active = 1 AND paused = 0 AND digest_time IS NOT NULL AND next_digest_at <= ?"
    parameters: list[Any] = [to_epoch(now)]
    if after is not None:
        where += " AND (next_digest_at, id) > (?, ?)"
        parameters.extend((to_epoch(after[0]), after[1]))
    async with connection.execute(
        f"SELECT {CHAT_COLUMNS} FROM chats INDEXED BY chats_due_digest WHERE {where}"
        " ORDER BY next_digest_at, id LIMIT ?",
        (*parameters, limit),
    ) as cursor:
        return [chat_from_row(row) for row in await cursor.fetchall()]


async def chat_topics(
    connection: aiosqlite.Connection,
    chat_ids: Sequence[int],
    *,
    modes: Sequence[str] | None = None,
) -> dict[int, list[str]]:
    """Each chat's topics, alphabetically (chats without topics are absent).

    With ``modes``, only topics delivered that way (``storage.live.DELIVERY_MODES``): the
    daily digest leaves out topics posted as they happen or switched off.
    """
    topics: dict[int, list[str]] = {}
    only = ""
    if modes is not None:
        only = (
            " AND coalesce((SELECT mode FROM delivery_modes m WHERE m.chat_id = s.chat_id"
            " AND m.topic = s.topic), (SELECT mode FROM delivery_modes m"
            " WHERE m.chat_id = s.chat_id AND m.topic = ''), 'daily')"
            f" IN ({placeholders(len(modes))})"
        )
    for chunk in chunks(chat_ids):
        async with connection.execute(
            "SELECT chat_id, topic FROM subscriptions s"
            f" WHERE chat_id IN ({placeholders(len(chunk))}){only} ORDER BY chat_id, topic",
            (*chunk, *(modes or ())),
        ) as cursor:
            for chat_id, topic in await cursor.fetchall():
                topics.setdefault(chat_id, []).append(topic)
    return topics


# A digest shows a few stories per topic; the best thousand text matches hold them.
MAX_TOPIC_MATCHES = 1000
# A headline whose page could not be read (no body) is news, but a story with a summary
# about the same topic serves the reader better: it ranks as a weaker match.
HEADLINE_ONLY_WEIGHT = 0.5


async def topic_matches(
    connection: aiosqlite.Connection, topic: str, *, since: datetime
) -> list[TopicMatch]:
    """Articles stored and published after ``since`` matching ``topic``, best first.

    An item dated before the window is old news, however recently a feed carried it.
    """
    normalized = canonical_topic(topic)
    strengths: dict[int, float] = {}
    expression = topic_match_expression([normalized])
    if expression is not None:
        # bm25 through the table's rank (title weighs four times the body); lower is better.
        # Only the best MAX_TOPIC_MATCHES: a topic matching most of a day's stories would make
        # every digest with it rank thousands of articles (issue #17).
        async with connection.execute(
            "SELECT f.rowid, -f.rank * (CASE WHEN a.text = '' THEN ? ELSE 1.0 END)"
            " FROM articles_fts f JOIN articles a ON a.id = f.rowid"
            " WHERE articles_fts MATCH ? AND a.fetched_at > ? AND a.sort_at > ?"
            " ORDER BY f.rank LIMIT ?",
            (HEADLINE_ONLY_WEIGHT, expression, to_epoch(since), to_epoch(since), MAX_TOPIC_MATCHES),
        ) as cursor:
            for article_id, strength in await cursor.fetchall():
                strengths[article_id] = max(float(strength), 1e-9)
    async with connection.execute(
        "SELECT c.article_id FROM article_categories c JOIN articles a ON a.id = c.article_id"
        " WHERE c.category = ? AND a.fetched_at > ? AND a.sort_at > ?",
        (normalized, to_epoch(since), to_epoch(since)),
    ) as cursor:
        category_ids = [row[0] for row in await cursor.fetchall()]
    # A feed that files the article under the topic is as sure a match as the best text match.
    best = max(strengths.values(), default=1.0)
    for article_id in category_ids:
        strengths[article_id] = best
    matches = [TopicMatch(article_id, strength) for article_id, strength in strengths.items()]
    matches.sort(key=lambda match: (-match.strength, match.article_id))
    return matches


async def digest_articles(
    connection: aiosqlite.Connection, article_ids: Sequence[int]
) -> dict[int, DigestArticle]:
    """The digest columns of the given articles, by id."""
    articles: dict[int, DigestArticle] = {}
    for chunk in chunks(list(article_ids)):
        async with connection.execute(
            "SELECT id, story_id, title, url, source, published_at, fetched_at FROM articles"
            f" WHERE id IN ({placeholders(len(chunk))})",
            tuple(chunk),
        ) as cursor:
            for row in await cursor.fetchall():
                fetched_at = from_epoch(row[6])
                assert fetched_at is not None  # NOT NULL column
                articles[row[0]] = DigestArticle(
                    id=row[0],
                    story_id=row[1],
                    title=row[2],
                    url=row[3],
                    source=row[4],
                    published_at=from_epoch(row[5]),
                    fetched_at=fetched_at,
                )
    return articles


async def story_members(
    connection: aiosqlite.Connection, story_ids: Sequence[int]
) -> dict[int, list[StoryMember]]:
    """Every article of the given stories, oldest first, by story id."""
    members: dict[int, list[StoryMember]] = {}
    for chunk in chunks(list(story_ids)):
        async with connection.execute(
            "SELECT story_id, id, source FROM articles WHERE story_id"
            f" IN ({placeholders(len(chunk))})"
            " ORDER BY story_id, id",
            tuple(chunk),
        ) as cursor:
            for story_id, article_id, source in await cursor.fetchall():
                members.setdefault(story_id, []).append(StoryMember(article_id, source))
    return members


async def delivered_stories(
    connection: aiosqlite.Connection, chat_ids: Sequence[int], *, since: datetime
) -> dict[int, set[int]]:
    """Stories with an article delivered to each chat at or after ``since``."""
    delivered: dict[int, set[int]] = {}
    for chunk in chunks(chat_ids):
        async with connection.execute(
            "SELECT DISTINCT d.chat_id, a.story_id FROM deliveries d"
            " JOIN articles a ON a.id = d.article_id"
            f" WHERE d.chat_id IN ({placeholders(len(chunk))}) AND d.delivered_at >= ?",
            (*chunk, to_epoch(since)),
        ) as cursor:
            for chat_id, story_id in await cursor.fetchall():
                delivered.setdefault(chat_id, set()).add(story_id)
    return delivered


async def record_deliveries(
    connection: aiosqlite.Connection, chat_id: int, article_ids: Iterable[int], at: datetime
) -> None:
    """Log articles as delivered to a chat (already logged ones keep their first time)."""
    await connection.executemany(
        "INSERT OR IGNORE INTO deliveries (chat_id, article_id, delivered_at) VALUES (?, ?, ?)",
        [(chat_id, article_id, to_epoch(at)) for article_id in article_ids],
    )


async def forget_deliveries(
    connection: aiosqlite.Connection, chat_id: int, article_ids: Iterable[int]
) -> None:
    """Remove log entries for a message that did not go out, so a later digest carries it."""
    await connection.executemany(
        "DELETE FROM deliveries WHERE chat_id = ? AND article_id = ?",
        [(chat_id, article_id) for article_id in article_ids],
    )


async def finish_digest(
    connection: aiosqlite.Connection,
    chat_id: int,
    *,
    digest_at: datetime | None,
    next_digest_at: datetime | None,
) -> None:
    """Move the chat's schedule on; ``digest_at`` (when a digest ran) starts its next window."""
    never = 2**62
    next_epoch = to_epoch(next_digest_at) if next_digest_at else never
    if digest_at is None:
        await connection.execute(
            "UPDATE chats SET next_digest_at = ? WHERE id = ?", (next_epoch, chat_id)
        )
    else:
        await connection.execute(
            "UPDATE chats SET next_digest_at = ?, last_digest_at = ? WHERE id = ?",
            (next_epoch, to_epoch(digest_at), chat_id),
        )
        # The digest is done: its plan has nothing left to resume.
        await connection.execute("DELETE FROM digest_parts WHERE chat_id = ?", (chat_id,))


async def record_plans(connection: aiosqlite.Connection, plans: Iterable[DigestPlan]) -> None:
    """Record digests before sending: every message, and its articles as delivered."""
    rows = list(plans)
    await connection.executemany(
        "DELETE FROM digest_parts WHERE chat_id = ?", [(plan.chat_id,) for plan in rows]
    )
    await connection.executemany(
        "INSERT INTO digest_parts (chat_id, part, slot_at, built_at, text, keyboard,"
        " article_ids, sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                plan.chat_id,
                part.part,
                to_epoch(plan.slot_at),
                to_epoch(plan.built_at),
                part.text,
                part.keyboard,
                json.dumps(list(part.article_ids)),
                int(part.sent),
            )
            for plan in rows
            for part in plan.parts
        ],
    )
    await connection.executemany(
        "INSERT OR IGNORE INTO deliveries (chat_id, article_id, delivered_at) VALUES (?, ?, ?)",
        [
            (plan.chat_id, article_id, to_epoch(plan.built_at))
            for plan in rows
            for part in plan.parts
            for article_id in part.article_ids
        ],
    )


async def digest_plans(
    connection: aiosqlite.Connection, chat_ids: Sequence[int]
) -> dict[int, DigestPlan]:
    """The recorded, unfinished digests of the given chats, by chat id."""
    parts: dict[int, list[tuple[Any, ...]]] = {}
    for chunk in chunks(chat_ids):
        async with connection.execute(
            "SELECT chat_id, part, slot_at, built_at, text, keyboard, article_ids, sent"
            " FROM digest_parts WHERE chat_id"
            f" IN ({placeholders(len(chunk))}) ORDER BY chat_id, part",
            tuple(chunk),
        ) as cursor:
            for row in await cursor.fetchall():
                parts.setdefault(row[0], []).append(tuple(row))
    plans: dict[int, DigestPlan] = {}
    for chat_id, rows in parts.items():
        slot_at, built_at = from_epoch(rows[0][2]), from_epoch(rows[0][3])
        assert slot_at is not None and built_at is not None  # NOT NULL columns
        plans[chat_id] = DigestPlan(
            chat_id=chat_id,
            slot_at=slot_at,
            built_at=built_at,
            parts=tuple(
                PlannedPart(
                    part=row[1],
                    text=row[4],
                    keyboard=row[5],
                    article_ids=tuple(json.loads(row[6])),
                    sent=bool(row[7]),
                )
                for row in rows
            ),
        )
    return plans


async def mark_part_sent(connection: aiosqlite.Connection, chat_id: int, part: int) -> None:
    """Telegram accepted (or for good refused) this message: a resumed digest skips it."""
    await connection.execute(
        "UPDATE digest_parts SET sent = 1 WHERE chat_id = ? AND part = ?", (chat_id, part)
    )


async def release_plan(connection: aiosqlite.Connection, chat_id: int) -> None:
    """Drop a digest that will not be finished; its unsent stories go to a later digest."""
    async with connection.execute(
        "SELECT article_ids FROM digest_parts WHERE chat_id = ? AND sent = 0", (chat_id,)
    ) as cursor:
        unsent = [
            article_id for (ids,) in await cursor.fetchall() for article_id in json.loads(ids)
        ]
    await forget_deliveries(connection, chat_id, unsent)
    await connection.execute("DELETE FROM digest_parts WHERE chat_id = ?", (chat_id,))


async def offer_schedule(
    connection: aiosqlite.Connection,
    chat_id: int,
    at: time,
    *,
    message_thread_id: int | None = None,
) -> bool:
    """Switch on a daily digest at ``at`` unless the chat ever chose one; True when it did.

    Only a chat that never had a schedule and never switched one off gets it (step 8's
    ``schedule_chosen``), so the offer comes once, with the first subscription.
    """
    cursor = await connection.execute(
        "UPDATE chats SET digest_time = ?, schedule_chosen = 1, message_thread_id = ?"
        " WHERE id = ? AND digest_time IS NULL AND schedule_chosen = 0",
        (at.strftime("%H:%M"), message_thread_id, chat_id),
    )
    return cursor.rowcount > 0


@dataclass(frozen=True, slots=True)
class NewReader:
    """A chat to create with a digest schedule and topics (bulk imports and benchmarks)."""

    chat_id: int
    time_zone: str
    digest_time: time
    topics: tuple[str, ...]
    next_digest_at: datetime | None = None
    max_stories: int = 5
    summary_length: str = "medium"


async def add_readers(
    connection: aiosqlite.Connection, readers: Iterable[NewReader], *, now: datetime
) -> None:
    """Create chats with their schedule, due time and topics in one statement per table."""
    rows = list(readers)
    await connection.executemany(
        "INSERT INTO chats (id, time_zone, digest_time, created_at, next_digest_at,"
        " digest_max_stories, summary_length) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                reader.chat_id,
                reader.time_zone,
                reader.digest_time.strftime("%H:%M"),
                to_epoch(now),
                to_epoch(reader.next_digest_at),
                reader.max_stories,
                reader.summary_length,
            )
            for reader in rows
        ],
    )
    await connection.executemany(
        "INSERT OR IGNORE INTO subscriptions (chat_id, topic, created_at) VALUES (?, ?, ?)",
        [
            (reader.chat_id, canonical_topic(topic), to_epoch(now))
            for reader in rows
            for topic in reader.topics
        ],
    )


class DigestQueries:
    """Digest schedules, candidates, plans and the delivery log: ``store.digests``."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def unscheduled_chats(self, *, limit: int) -> list[Chat]:
        """Chats whose (new or changed) schedule has no due time yet."""
        async with self._db.read() as connection:
            return await unscheduled_chats(connection, limit=limit)

    async def set_next_digest_times(
        self,
        due_times: Iterable[tuple[int, datetime | None]],
        *,
        only_unscheduled: bool = False,
    ) -> None:
        """Store the chats' next due times."""
        async with self._db.write() as connection:
            await set_next_digest_times(connection, due_times, only_unscheduled=only_unscheduled)

    async def earliest_due(self) -> datetime | None:
        """The earliest due time of any scheduled chat, or None."""
        async with self._db.read() as connection:
            return await earliest_due(connection)

    async def record_plans(self, plans: Iterable[DigestPlan]) -> None:
        """Record digests (messages and delivered articles) before their first message goes."""
        async with self._db.write() as connection:
            await record_plans(connection, plans)

    async def digest_plans(self, chat_ids: Sequence[int]) -> dict[int, DigestPlan]:
        """The unfinished recorded digests of these chats."""
        async with self._db.read() as connection:
            return await digest_plans(connection, chat_ids)

    async def mark_part_sent(self, chat_id: int, part: int) -> None:
        """Mark one planned message as done."""
        async with self._db.write() as connection:
            await mark_part_sent(connection, chat_id, part)

    async def release_plan(self, chat_id: int) -> None:
        """Drop an unfinished digest, releasing its unsent stories."""
        async with self._db.write() as connection:
            await release_plan(connection, chat_id)

    async def due_chats(
        self, now: datetime, *, limit: int, after: tuple[datetime, int] | None = None
    ) -> list[Chat]:
        """A page of chats due at ``now``, oldest due first."""
        async with self._db.read() as connection:
            return await due_chats(connection, now, limit=limit, after=after)

    async def chat_topics(
        self, chat_ids: Sequence[int], *, modes: Sequence[str] | None = None
    ) -> dict[int, list[str]]:
        """Each chat's topics (with ``modes``: only those delivered that way)."""
        async with self._db.read() as connection:
            return await chat_topics(connection, chat_ids, modes=modes)

    async def topic_matches(self, topic: str, *, since: datetime) -> list[TopicMatch]:
        """Articles stored after ``since`` matching ``topic``, best first."""
        async with self._db.read() as connection:
            return await topic_matches(connection, topic, since=since)

    async def digest_articles(self, article_ids: Sequence[int]) -> dict[int, DigestArticle]:
        """Digest columns of articles, by id."""
        async with self._db.read() as connection:
            return await digest_articles(connection, article_ids)

    async def story_members(self, story_ids: Sequence[int]) -> dict[int, list[StoryMember]]:
        """Every article of the given stories."""
        async with self._db.read() as connection:
            return await story_members(connection, story_ids)

    async def delivered_stories(
        self, chat_ids: Sequence[int], *, since: datetime
    ) -> dict[int, set[int]]:
        """Stories each chat has had since ``since``."""
        async with self._db.read() as connection:
            return await delivered_stories(connection, chat_ids, since=since)

    async def record_deliveries(
        self, chat_id: int, article_ids: Iterable[int], at: datetime
    ) -> None:
        """Log articles as delivered (committed before the message goes out)."""
        async with self._db.write() as connection:
            await record_deliveries(connection, chat_id, article_ids, at)

    async def forget_deliveries(
        self,
        chat_id: int,
        article_ids: Iterable[int],
        *,
        chat_gone: bool = False,
        thread_gone: bool = False,
    ) -> None:
        """Take back log entries of a message that did not go out.

        In the same transaction, ``chat_gone`` marks the chat inactive (it blocked the bot) and
        ``thread_gone`` sends its digests to the main thread from now on (its forum topic was
        deleted): a crash between the two writes would otherwise leave one without the other.
        """
        changes: dict[str, int | None] = {}
        if chat_gone:
            changes["active"] = 0
        if thread_gone:
            changes["message_thread_id"] = None
        async with self._db.write() as connection:
            await forget_deliveries(connection, chat_id, article_ids)
            if changes:
                await update_chat(connection, chat_id, changes)

    async def finish_digest(
        self, chat_id: int, *, digest_at: datetime | None, next_digest_at: datetime | None
    ) -> None:
        """Move the chat's schedule (and window, when a digest ran) on."""
        async with self._db.write() as connection:
            await finish_digest(
                connection, chat_id, digest_at=digest_at, next_digest_at=next_digest_at
            )

    async def add_readers(self, readers: Iterable[NewReader], *, now: datetime) -> None:
        """Create chats with their schedule and topics in one transaction (bulk imports)."""
        async with self._db.write() as connection:
            await add_readers(connection, readers, now=now)
