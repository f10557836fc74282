"""Chats' topic subscriptions and topic suggestions."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import datetime, time

import aiosqlite

from storage.breadth import is_too_broad
from storage.database import Database
from storage.digests import offer_schedule
from storage.errors import InvalidTopicError, TopicErrorCode
from storage.related import proper_names
from storage.text import STOPWORDS, words
from storage.timestamps import now_utc, to_epoch
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
        raise InvalidTopicError(TopicErrorCode.TOO_MANY_TOPICS, limit=MAX_TOPICS)
    if await is_too_broad(connection, topic_clauses(normalized)):
        raise InvalidTopicError(TopicErrorCode.TOPIC_TOO_BROAD, topic=normalized)
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
    """Topics in recent news: recurring categories, then names, then recurring phrases.

    Only what reads as a topic: a feed's category of three letters or more (or an acronym such
    as "AI"), and, if they recur in at least MIN_RECURRENCE articles or headlines, a name that
    running text writes capitalised ("Ukraine", "White House") or a two-word phrase of
    headlines ("peace talks"). A lone common word ("record") or a feed's code ("tc") is never
    offered.
    """
    async with connection.execute(
        "SELECT c.category, count(*) AS n FROM article_categories c"
        " JOIN (SELECT id FROM articles ORDER BY sort_at DESC LIMIT ?) a ON a.id = c.article_id"
        " GROUP BY c.category ORDER BY n DESC, c.category",
        (recent,),
    ) as cursor:
        topics = [row[0] for row in await cursor.fetchall() if _reads_as_topic(row[0])][:limit]
    if len(topics) >= limit:
        return topics
    async with connection.execute(
        "SELECT title, text FROM articles ORDER BY sort_at DESC LIMIT ?", (recent,)
    ) as cursor:
        articles = [(row[0], row[1]) for row in await cursor.fetchall()]
    async with connection.execute(
        "SELECT title FROM headlines ORDER BY sort_at DESC LIMIT ?", (recent,)
    ) as cursor:
        titles = [row[0] for row in await cursor.fetchall()]
    taken = {topic.casefold() for topic in topics}
    for candidate in [*_recurring_names(articles), *_recurring_phrases(titles)]:
        if len(topics) >= limit:
            break
        if candidate.casefold() not in taken:
            taken.add(candidate.casefold())
            topics.append(candidate)
    return topics


# A suggestion must come up in at least this many recent articles or headlines.
MIN_RECURRENCE = 2
_NAME_RUN = re.compile(r"\b[A-Z][\w-]+(?: [A-Z][\w-]+){0,2}")


def _reads_as_topic(category: str) -> bool:
    letters = sum(character.isalpha() for character in category)
    return letters >= 3 or (letters == len(category) == 2 and category.isupper())


def _recurring_names(articles: list[tuple[str, str]]) -> list[str]:
    """Names (runs of capitalised words) that articles' headlines share, most frequent first."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    # Names over all the texts: one that starts a sentence here is written mid-sentence there.
    proper = proper_names("\n".join(text for _, text in articles))
    for title, text in articles:
        heading = title.casefold()
        found = set()
        for run in _NAME_RUN.findall(text):
            name_words = run.split()
            # Every word must be a name in running text, and the headline must be about it.
            if all(word.casefold() in proper for word in name_words) and run.casefold() in heading:
                found.add(run.casefold())
                spelling.setdefault(run.casefold(), run)
        counts.update(found)
    return [spelling[key] for key, count in counts.most_common() if count >= MIN_RECURRENCE]


def _recurring_phrases(titles: list[str]) -> list[str]:
    """Two-word phrases of informative words that recur in headlines, most frequent first."""
    counts: Counter[str] = Counter()
    for title in titles:
        tokens = words(title)
        pairs = {
            f"{first} {second}"
            for first, second in itertools.pairwise(tokens)
            if _informative(first) and _informative(second)
        }
        counts.update(pairs)
    return [phrase for phrase, count in counts.most_common() if count >= MIN_RECURRENCE]


def _informative(word: str) -> bool:
    return (
        len(word) >= 3 and not word.isdigit() and word not in _DULL_WORDS and word not in STOPWORDS
    )


class Subscriptions:
    """Each chat's topics and topic expressions: ``store.subscriptions``."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def subscribe(self, chat_id: int, topic: str) -> bool:
        """Add a normalised topic; True when it was new. Raises InvalidTopicError."""
        async with self._db.write() as connection:
            return await subscribe(connection, chat_id, topic, now_utc())

    async def subscribe_offering_schedule(
        self,
        chat_id: int,
        topic: str,
        *,
        at: time,
        message_thread_id: int | None = None,
        offer_when_followed: bool = False,
    ) -> tuple[bool, bool]:
        """Follow a topic and offer the chat its first daily digest at ``at``, at once.

        Returns whether the topic was new and whether the schedule was switched on: only for a
        chat that never chose one (see ``digests.offer_schedule``), and only with a new topic
        unless ``offer_when_followed``. Raises InvalidTopicError as ``subscribe`` does.
        """
        async with self._db.write() as connection:
            added = await subscribe(connection, chat_id, topic, now_utc())
            offered = (added or offer_when_followed) and await offer_schedule(
                connection, chat_id, at, message_thread_id=message_thread_id
            )
        return added, offered

    async def unsubscribe(self, chat_id: int, topic: str) -> bool:
        """Remove a topic; True when it was there."""
        async with self._db.write() as connection:
            return await unsubscribe(connection, chat_id, topic)

    async def topics(self, chat_id: int) -> list[str]:
        """The chat's topics, alphabetically."""
        async with self._db.read() as connection:
            return await list_subscriptions(connection, chat_id)

    async def suggested(self, *, limit: int = 8) -> list[str]:
        """Topics that occur in recent news, for subscribe buttons."""
        async with self._db.read() as connection:
            return await suggested_topics(connection, limit=limit)
