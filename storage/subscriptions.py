"""Chats' topic subscriptions and topic suggestions."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import aiosqlite

from storage.breadth import is_too_broad
from storage.errors import InvalidTopicError
from storage.text import words
from storage.timestamps import to_epoch
from storage.topics import canonical_topic, topic_clauses

# Each topic is a full-text query on every /latest and digest of the chat; a reader needs a
# handful, and the cap keeps one chat's requests as cheap as anyone's.
MAX_TOPICS = 20

# Words too common in headlines to make a useful topic suggestion.
_DULL_WORD_TEXT = (
    "after again amid back been being best could from have into just last like make more most "
    "much news over said says should some than that their them then there these they this "
    "through under what when where which while will with would year years your about against "
    "before between during first makes made many other still told week"
)
_DULL_WORDS = frozenset(_DULL_WORD_TEXT.split())


async def subscribe(
    connection: aiosqlite.Connection, chat_id: int, topic: str, now: datetime
) -> bool:
    """Add a topic (creating the chat if needed); True when it was new.

    Raises InvalidTopicError when the chat already follows MAX_TOPICS topics or the topic would
    match almost every story.
    """
    normalized = canonical_topic(topic)
    async with connection.execute(
        "SELECT count(*), count(*) FILTER (WHERE topic = ?) FROM subscriptions WHERE chat_id = ?",
        (normalized, chat_id),
    ) as cursor:
        row = await cursor.fetchone()
    followed, already = row if row is not None else (0, 0)
    if already:
        return False
    if followed >= MAX_TOPICS:
        raise InvalidTopicError(
            "You can follow at most {limit} topics; /unsubscribe one you no longer need.",
            limit=MAX_TOPICS,
        )
    if await is_too_broad(connection, topic_clauses(normalized)):
        raise InvalidTopicError(
            "“{topic}” is too broad: it would match more than half of all stories. "
            "Follow something more specific, e.g. /subscribe climate.",
            topic=normalized,
        )
    await connection.execute(
        "INSERT OR IGNORE INTO chats (id, created_at) VALUES (?, ?)", (chat_id, to_epoch(now))
    )
    cursor = await connection.execute(
        "INSERT OR IGNORE INTO subscriptions (chat_id, topic, created_at) VALUES (?, ?, ?)",
        (chat_id, normalized, to_epoch(now)),
    )
    return cursor.rowcount > 0


async def unsubscribe(connection: aiosqlite.Connection, chat_id: int, topic: str) -> bool:
    """Remove a topic; True when it was there."""
    cursor = await connection.execute(
        "DELETE FROM subscriptions WHERE chat_id = ? AND topic = ?",
        (chat_id, canonical_topic(topic)),
    )
    return cursor.rowcount > 0


async def list_subscriptions(connection: aiosqlite.Connection, chat_id: int) -> list[str]:
    """The chat's topics, alphabetically."""
    async with connection.execute(
        "SELECT topic FROM subscriptions WHERE chat_id = ? ORDER BY topic", (chat_id,)
    ) as cursor:
        return [row[0] for row in await cursor.fetchall()]


async def suggested_topics(
    connection: aiosqlite.Connection, *, limit: int, recent: int = 500
) -> list[str]:
    """Categories of recent articles, then frequent words of recent headlines."""
    async with connection.execute(
        "SELECT c.category, count(*) AS n FROM article_categories c"
        " JOIN (SELECT id FROM articles ORDER BY sort_at DESC LIMIT ?) a ON a.id = c.article_id"
        " GROUP BY c.category ORDER BY n DESC, c.category LIMIT ?",
        (recent, limit),
    ) as cursor:
        topics = [row[0] for row in await cursor.fetchall()]
    if len(topics) < limit:
        async with connection.execute(
            "SELECT title FROM headlines ORDER BY sort_at DESC LIMIT ?", (recent,)
        ) as cursor:
            titles = [row[0] for row in await cursor.fetchall()]
        counts = Counter(
            word
            for title in titles
            for word in set(words(title))
            if len(word) >= 4 and not word.isdigit() and word not in _DULL_WORDS
        )
        for word, count in counts.most_common():
            if len(topics) >= limit or count < 2:
                break
            if word not in topics:
                topics.append(word)
    return topics
