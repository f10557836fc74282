"""Reader controls: muted words, followed and muted sources, and the filters they make.

A muted word or phrase is matched like a plain topic (a quoted FTS5 phrase, stemmed, any
case) against an article's title and text, or a headline's title. Matching indexes only the
candidate stories of one request, in memory (see ``_matching``). A muted source hides every
article that came from that feed. Followed sources are read by the digest builder as extra
topics named after the feed.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import aiosqlite

from storage.articles import HEADLINE_COLUMNS, headline_from_row
from storage.breadth import is_too_broad
from storage.database import Database
from storage.errors import InvalidTopicError, TopicErrorCode
from storage.models import Headline
from storage.sql import chunks, placeholders
from storage.terms import TOKENIZE_STEMMED
from storage.text import collapse_spaces, fts_phrase, words
from storage.timestamps import now_utc, to_epoch
from storage.topics import MAX_TOPIC_LENGTH, normalize_topic

__all__ = [
    "MAX_MUTED_WORDS",
    "FollowedSource",
    "ReaderControls",
    "ReaderFilter",
    "followed_sources",
    "list_muted_words",
    "mute_word",
    "muted_articles",
    "muted_headlines",
    "reader_filters",
    "set_source",
    "source_article_ids",
    "source_choices",
    "source_headlines",
    "unmute_word",
]

# Filtering costs the same whatever is muted (see muted_articles); the cap keeps /muted short.
MAX_MUTED_WORDS = 50


@dataclass(frozen=True, slots=True)
class ReaderFilter:
    """What one chat does not want to see."""

    phrases: tuple[str, ...] = ()
    feed_ids: frozenset[int] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.phrases or self.feed_ids)

    def fts_query(self) -> str | None:
        """One FTS5 query matching any muted phrase (every word quoted by us)."""
        phrases = dict.fromkeys(query for phrase in self.phrases if (query := fts_phrase(phrase)))
        return " OR ".join(phrases) or None


@dataclass(frozen=True, slots=True)
class FollowedSource:
    """A feed a chat follows, with the name to show for it."""

    feed_id: int
    name: str
    # daily, live or off: its own mode, else the chat's default, else daily.
    delivery: str = "daily"


async def mute_word(
    connection: aiosqlite.Connection, chat_id: int, phrase: str, now: datetime
) -> tuple[str, bool]:
    """Mute a word or phrase (creating the chat); returns it as stored and whether it was new.

    Raises InvalidTopicError for a phrase without words, over MAX_TOPIC_LENGTH characters or
    so common it would hide almost every story, and beyond MAX_MUTED_WORDS.
    """
    length = len(collapse_spaces(phrase))
    if length > MAX_TOPIC_LENGTH:
        raise InvalidTopicError(
            TopicErrorCode.MUTED_WORD_TOO_LONG,
            length=length,
            limit=MAX_TOPIC_LENGTH,
        )
    normalized = normalize_topic(phrase)
    if fts_phrase(normalized) is None:
        raise InvalidTopicError(TopicErrorCode.MUTED_WORD_NO_WORDS)
    async with connection.execute(
        "SELECT count(*), count(*) FILTER (WHERE phrase = ?) FROM muted_words WHERE chat_id = ?",
        (normalized, chat_id),
    ) as cursor:
        row = await cursor.fetchone()
    muted, already = row if row is not None else (0, 0)
    if already:
        return normalized, False
    if muted >= MAX_MUTED_WORDS:
        raise InvalidTopicError(TopicErrorCode.TOO_MANY_MUTED_WORDS, limit=MAX_MUTED_WORDS)
    if await is_too_broad(connection, ((tuple(words(normalized)),),)):
        raise InvalidTopicError(TopicErrorCode.MUTED_WORD_TOO_COMMON, word=normalized)
    await connection.execute(
        "INSERT OR IGNORE INTO chats (id, created_at) VALUES (?, ?)", (chat_id, to_epoch(now))
    )
    cursor = await connection.execute(
        "INSERT OR IGNORE INTO muted_words (chat_id, phrase, created_at) VALUES (?, ?, ?)",
        (chat_id, normalized, to_epoch(now)),
    )
    return normalized, cursor.rowcount > 0


async def unmute_word(connection: aiosqlite.Connection, chat_id: int, phrase: str) -> bool:
    """Unmute a word or phrase; True when it was muted."""
    cursor = await connection.execute(
        "DELETE FROM muted_words WHERE chat_id = ? AND phrase = ?",
        (chat_id, normalize_topic(phrase)),
    )
    return cursor.rowcount > 0


async def list_muted_words(connection: aiosqlite.Connection, chat_id: int) -> list[str]:
    """The chat's muted words and phrases, alphabetically."""
    async with connection.execute(
        "SELECT phrase FROM muted_words WHERE chat_id = ? ORDER BY phrase", (chat_id,)
    ) as cursor:
        return [row[0] for row in await cursor.fetchall()]


async def set_source(
    connection: aiosqlite.Connection,
    chat_id: int,
    feed_id: int,
    follow: bool | None,
    now: datetime,
) -> None:
    """Follow (True) or mute (False) a feed for a chat, or neither (None)."""
    if follow is None:
        await connection.execute(
            "DELETE FROM chat_sources WHERE chat_id = ? AND feed_id = ?", (chat_id, feed_id)
        )
        return
    await connection.execute(
        "INSERT OR IGNORE INTO chats (id, created_at) VALUES (?, ?)", (chat_id, to_epoch(now))
    )
    await connection.execute(
        # A source muted and followed again starts afresh, as one unfollowed and followed
        # again does: its old delivery mode ("as it happens", "off") went with the mute.
        "INSERT INTO chat_sources (chat_id, feed_id, follow, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (chat_id, feed_id) DO UPDATE SET follow = excluded.follow,"
        " delivery = CASE WHEN follow = excluded.follow THEN delivery END",
        (chat_id, feed_id, int(follow), to_epoch(now)),
    )


async def source_choices(connection: aiosqlite.Connection, chat_id: int) -> dict[int, bool]:
    """The chat's followed (True) and muted (False) feeds, by feed id."""
    async with connection.execute(
        "SELECT feed_id, follow FROM chat_sources WHERE chat_id = ?", (chat_id,)
    ) as cursor:
        return {feed_id: bool(follow) for feed_id, follow in await cursor.fetchall()}


async def reader_filters(
    connection: aiosqlite.Connection, chat_ids: Sequence[int]
) -> dict[int, ReaderFilter]:
    """Each chat's muted words and feeds (chats that mute nothing are absent)."""
    phrases: dict[int, list[str]] = {}
    feeds: dict[int, set[int]] = {}
    for chunk in chunks(chat_ids):
        async with connection.execute(
            f"SELECT chat_id, phrase FROM muted_words WHERE chat_id IN ({placeholders(len(chunk))})"
            " ORDER BY chat_id, phrase",
            chunk,
        ) as cursor:
            for chat_id, phrase in await cursor.fetchall():
                phrases.setdefault(chat_id, []).append(phrase)
        async with connection.execute(
            "SELECT chat_id, feed_id FROM chat_sources"
            f" WHERE follow = 0 AND chat_id IN ({placeholders(len(chunk))})",
            chunk,
        ) as cursor:
            for chat_id, feed_id in await cursor.fetchall():
                feeds.setdefault(chat_id, set()).add(feed_id)
    return {
        chat_id: ReaderFilter(tuple(phrases.get(chat_id, ())), frozenset(feeds.get(chat_id, ())))
        for chat_id in {*phrases, *feeds}
    }


async def followed_sources(
    connection: aiosqlite.Connection, chat_ids: Sequence[int]
) -> dict[int, list[FollowedSource]]:
    """Each chat's followed feeds, named by title (or "feed <id>"); absent when none."""
    followed: dict[int, list[FollowedSource]] = {}
    for chunk in chunks(chat_ids):
        async with connection.execute(
            "SELECT s.chat_id, f.id, f.title, coalesce(s.delivery, (SELECT mode FROM"
            " delivery_modes m WHERE m.chat_id = s.chat_id AND m.topic = ''), 'daily')"
            " FROM chat_sources s JOIN feeds f ON f.id = s.feed_id"
            " WHERE s.follow = 1 AND s.chat_id"
            f" IN ({placeholders(len(chunk))}) ORDER BY s.chat_id, f.id",
            chunk,
        ) as cursor:
            for chat_id, feed_id, title, delivery in await cursor.fetchall():
                name = title or f"feed {feed_id}"
                followed.setdefault(chat_id, []).append(FollowedSource(feed_id, name, delivery))
    return followed


async def source_article_ids(
    connection: aiosqlite.Connection, feed_id: int, *, since: datetime, limit: int = 2000
) -> list[int]:
    """Articles of one feed stored and published after ``since``, newest first."""
    async with connection.execute(
        "SELECT id FROM articles WHERE feed_id = ? AND fetched_at > ? AND sort_at > ?"
        " ORDER BY fetched_at DESC, id DESC LIMIT ?",
        (feed_id, to_epoch(since), to_epoch(since), limit),
    ) as cursor:
        return [row[0] for row in await cursor.fetchall()]


async def source_headlines(
    connection: aiosqlite.Connection, feed_ids: Sequence[int], *, limit: int
) -> list[Headline]:
    """The newest headlines of articles from the given feeds, newest first."""
    if not feed_ids:
        return []
    async with connection.execute(
        f"SELECT {HEADLINE_COLUMNS} FROM headlines h WHERE h.article_id IN"
        f" (SELECT id FROM articles WHERE feed_id IN ({placeholders(len(feed_ids))})"
        " ORDER BY fetched_at DESC LIMIT ?) ORDER BY h.sort_at DESC, h.id DESC LIMIT ?",
        (*feed_ids, limit * 4, limit),
    ) as cursor:
        return [headline_from_row(row) for row in await cursor.fetchall()]


async def muted_articles(
    connection: aiosqlite.Connection, muted: ReaderFilter, article_ids: Iterable[int]
) -> set[int]:
    """Those of ``article_ids`` the filter hides: a muted phrase in title or text, or feed."""
    candidates = json.dumps(sorted(set(article_ids)))
    hidden: set[int] = set()
    query = muted.fts_query()
    if query is not None:
        async with connection.execute(
            "SELECT id, title, text, '' FROM articles WHERE id IN (SELECT value FROM json_each(?))",
            (candidates,),
        ) as cursor:
            documents = await cursor.fetchall()
        hidden.update(await _matching(query, documents))
    if muted.feed_ids:
        async with connection.execute(
            "SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))"
            f" AND feed_id IN ({placeholders(len(muted.feed_ids))})",
            (candidates, *sorted(muted.feed_ids)),
        ) as cursor:
            hidden.update(row[0] for row in await cursor.fetchall())
    return hidden


async def muted_headlines(
    connection: aiosqlite.Connection, muted: ReaderFilter, headline_ids: Iterable[int]
) -> set[int]:
    """Those of ``headline_ids`` the filter hides: a muted phrase in the title (or, for an
    article's headline, in the article's title or text), or a muted feed."""
    candidates = json.dumps(sorted(set(headline_ids)))
    hidden: set[int] = set()
    query = muted.fts_query()
    if query is not None:
        async with connection.execute(
            "SELECT h.id, h.title, coalesce(a.title, ''), coalesce(a.text, '') FROM headlines h"
            " LEFT JOIN articles a ON a.id = h.article_id"
            " WHERE h.id IN (SELECT value FROM json_each(?))",
            (candidates,),
        ) as cursor:
            documents = await cursor.fetchall()
        hidden.update(await _matching(query, documents))
    if muted.feed_ids:
        async with connection.execute(
            "SELECT h.id FROM headlines h JOIN articles a ON a.id = h.article_id"
            f" WHERE h.id IN (SELECT value FROM json_each(?))"
            f" AND a.feed_id IN ({placeholders(len(muted.feed_ids))})",
            (candidates, *sorted(muted.feed_ids)),
        ) as cursor:
            hidden.update(row[0] for row in await cursor.fetchall())
    return hidden


async def _matching(query: str, documents: Iterable[Sequence[object]]) -> set[int]:
    """Ids of ``documents`` (id and three text fields) that the FTS5 ``query`` matches.

    The candidates of one request are indexed on their own, in memory, with the store's
    tokenizer: the cost follows the few stories being shown, not how common the muted words
    are in the whole store (where one query of 50 common phrases took seconds per candidate).
    """
    rows = list(documents)
    if not rows:
        return set()
    return await asyncio.to_thread(_match_in_memory, query, rows)


def _match_in_memory(query: str, rows: list[Sequence[object]]) -> set[int]:
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute(
            "CREATE VIRTUAL TABLE candidates USING fts5"
            f" (f0, f1, f2, tokenize = '{TOKENIZE_STEMMED}')"
        )
        connection.executemany(
            "INSERT INTO candidates (rowid, f0, f1, f2) VALUES (?, ?, ?, ?)", rows
        )
        matched = connection.execute(
            "SELECT rowid FROM candidates WHERE candidates MATCH ?", (query,)
        )
        return {row[0] for row in matched}
    finally:
        connection.close()


class ReaderControls:
    """Muted words and followed or muted sources: ``store.controls``."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def mute_word(self, chat_id: int, phrase: str) -> tuple[str, bool]:
        """Mute a word or phrase; returns it as stored and whether it was new."""
        async with self._db.write() as connection:
            return await mute_word(connection, chat_id, phrase, now_utc())

    async def unmute_word(self, chat_id: int, phrase: str) -> bool:
        """Unmute a word or phrase; True when it was muted."""
        async with self._db.write() as connection:
            return await unmute_word(connection, chat_id, phrase)

    async def muted_words(self, chat_id: int) -> list[str]:
        """The chat's muted words, alphabetically."""
        async with self._db.read() as connection:
            return await list_muted_words(connection, chat_id)

    async def set_source(self, chat_id: int, feed_id: int, follow: bool | None) -> None:
        """Follow (True), mute (False) or reset (None) a feed for a chat."""
        async with self._db.write() as connection:
            await set_source(connection, chat_id, feed_id, follow, now_utc())

    async def source_choices(self, chat_id: int) -> dict[int, bool]:
        """The chat's followed (True) and muted (False) feeds."""
        async with self._db.read() as connection:
            return await source_choices(connection, chat_id)

    async def reader_filter(self, chat_id: int) -> ReaderFilter:
        """What the chat does not want to see (empty when nothing)."""
        async with self._db.read() as connection:
            filters = await reader_filters(connection, [chat_id])
        return filters.get(chat_id, ReaderFilter())

    async def reader_filters(self, chat_ids: Sequence[int]) -> dict[int, ReaderFilter]:
        """Each chat's filter (chats that mute nothing are absent)."""
        async with self._db.read() as connection:
            return await reader_filters(connection, chat_ids)

    async def followed_sources(self, chat_ids: Sequence[int]) -> dict[int, list[FollowedSource]]:
        """Each chat's followed feeds."""
        async with self._db.read() as connection:
            return await followed_sources(connection, chat_ids)

    async def source_article_ids(self, feed_id: int, *, since: datetime) -> list[int]:
        """A feed's articles stored after ``since``, newest first."""
        async with self._db.read() as connection:
            return await source_article_ids(connection, feed_id, since=since)

    async def source_headlines(self, feed_ids: Sequence[int], *, limit: int) -> list[Headline]:
        """The newest headlines from the given feeds."""
        async with self._db.read() as connection:
            return await source_headlines(connection, feed_ids, limit=limit)

    async def muted_articles(self, muted: ReaderFilter, article_ids: Iterable[int]) -> set[int]:
        """The article ids the filter hides."""
        if not muted:
            return set()
        async with self._db.read() as connection:
            return await muted_articles(connection, muted, article_ids)

    async def muted_headlines(self, muted: ReaderFilter, headline_ids: Iterable[int]) -> set[int]:
        """The headline ids the filter hides."""
        if not muted:
            return set()
        async with self._db.read() as connection:
            return await muted_headlines(connection, muted, headline_ids)
