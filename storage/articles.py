"""Reading articles and headlines: by id, by full-text search, newest first, by topic."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from storage import stories
from storage.database import Database
from storage.ingest.records import Record
from storage.ingest.writer import write_records
from storage.models import Article, Headline, IngestReport, RelatedHeadline, SearchHit
from storage.related import RelatedRanker, related_headlines
from storage.sql import chunks, placeholders
from storage.text import collapse_spaces, fts_all_words, fts_any_word, words
from storage.timestamps import from_epoch, now_utc, to_epoch
from storage.topics import canonical_topic, topic_match_expression

ARTICLE_COLUMNS = (
    "a.id, a.url, a.title, a.text, a.language, a.source, a.published_at, a.fetched_at,"
    " a.story_id, a.categories"
)
HEADLINE_COLUMNS = "h.id, h.title, h.url, h.source, h.published_at"
_SNIPPET_WORD = re.compile(r"[^\W_]+")


def article_from_row(row: aiosqlite.Row | tuple[Any, ...]) -> Article:
    """Build an Article from a row selected with ARTICLE_COLUMNS."""
    fetched_at = from_epoch(row[7])
    assert fetched_at is not None  # NOT NULL column
    return Article(
        id=row[0],
        url=row[1],
        title=row[2],
        text=row[3],
        language=row[4],
        source=row[5],
        published_at=from_epoch(row[6]),
        fetched_at=fetched_at,
        story_id=row[8],
        categories=tuple(json.loads(row[9])),
    )


def headline_from_row(row: aiosqlite.Row | tuple[Any, ...]) -> Headline:
    """Build a Headline from a row selected with HEADLINE_COLUMNS."""
    return Headline(
        id=row[0], title=row[1], url=row[2], source=row[3], published_at=from_epoch(row[4])
    )


async def fetch_article(connection: aiosqlite.Connection, article_id: int) -> Article | None:
    """One article or None."""
    async with connection.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?", (article_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return article_from_row(row) if row else None


async def stored_urls(connection: aiosqlite.Connection, urls: Sequence[str]) -> set[str]:
    """Those of ``urls`` that stored articles have."""
    found: set[str] = set()
    unique = list(dict.fromkeys(urls))
    for chunk in chunks(unique):
        async with connection.execute(
            f"SELECT url FROM articles WHERE url IN ({placeholders(len(chunk))})", chunk
        ) as cursor:
            found.update(row[0] for row in await cursor.fetchall())
    return found


RANKED_MATCHES = 3000
# FTS5's snippet() scores every window of a text against every hit in it, so its cost grows
# with the square of the matches: 0.3 s for 100 kB of common words, minutes for 4.5 MB. Texts
# longer than this (rare in news) get a plain snippet from their beginning instead, so one odd
# document cannot slow every search it turns up in.
SNIPPET_TEXT_LIMIT = 8_000


async def search(
    connection: aiosqlite.Connection, query: str, *, limit: int, snippet_words: int = 16
) -> list[SearchHit]:
    """Articles containing every word of ``query`` (or, failing that, any word), best first."""
    hits: list[SearchHit] = []
    for expression in (fts_all_words(query), fts_any_word(query)):
        if expression is None:
            return []
        # Ranking costs time per match, so a query matching very many articles is ranked
        # among the most recently stored RANKED_MATCHES of them (news wants recent ones anyway).
        async with connection.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (expression, RANKED_MATCHES - 1),
        ) as cursor:
            floor = await cursor.fetchone()
        # ORDER BY rank uses the table's configured bm25 weights (title counts four times).
        async with connection.execute(
            f"SELECT {ARTICLE_COLUMNS}, -f.rank,"
            f" CASE WHEN length(a.text) <= {SNIPPET_TEXT_LIMIT}"
            f" THEN snippet(articles_fts, 1, '', '', '…', {int(snippet_words)}) END"
            " FROM articles_fts f JOIN articles a ON a.id = f.rowid"
            " WHERE articles_fts MATCH ? AND f.rowid >= ? ORDER BY f.rank LIMIT ?",
            (expression, floor[0] if floor else 0, limit),
        ) as cursor:
            rows = await cursor.fetchall()
        hits = [
            SearchHit(
                article=article_from_row(row),
                score=float(row[10]),
                snippet=row[11] or plain_snippet(row[3], query, size=snippet_words),
            )
            for row in rows
        ]
        if hits:
            break
    return hits


def plain_snippet(text: str, query: str, *, size: int) -> str:
    """About ``size`` words of the beginning of ``text`` around the first query word in it.

    Work is bounded by SNIPPET_TEXT_LIMIT whatever the text's length. Words match on a
    prefix, a rough stand-in for the index's stemming ("rates" finds "rate").
    """
    head = text[:SNIPPET_TEXT_LIMIT]
    tokens = list(_SNIPPET_WORD.finditer(head))
    if not tokens:
        return ""
    prefixes = tuple(word[: max(3, len(word) - 3)] for word in words(query))
    first = next(
        (index for index, token in enumerate(tokens) if token[0].casefold().startswith(prefixes)),
        0,
    )
    start = max(0, min(first - 2, len(tokens) - size))
    chosen = tokens[start : start + size]
    snippet = collapse_spaces(head[chosen[0].start() : chosen[-1].end()])
    before = "…" if start > 0 else ""
    after = "…" if start + size < len(tokens) or len(text) > len(head) else ""
    return f"{before}{snippet}{after}"


# A topic is matched against at most this many of its most recently stored articles: exact
# for all but very common topics, and it keeps their cost flat (news wants recent ones anyway).
RECENT_MATCHES = 2000
# With fewer matches than this, looking each up by id beats walking the time index.
FEW_MATCHES = 100


async def _topic_matches(connection: aiosqlite.Connection, topics: Sequence[str]) -> list[int]:
    """Ids of the most recently stored articles matching any topic by text or category."""
    normalized = [canonical_topic(topic) for topic in topics]
    sources = [
        (
            "SELECT article_id FROM article_categories WHERE category IN"
            f" ({placeholders(len(normalized))}) ORDER BY article_id DESC",
            list(normalized),
        )
    ]
    expression = topic_match_expression(normalized)
    if expression is not None:
        sources.append(
            (
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC",
                [expression],
            )
        )
    matches: set[int] = set()
    for sql, values in sources:
        async with connection.execute(f"{sql} LIMIT ?", (*values, RECENT_MATCHES)) as cursor:
            matches.update(row[0] for row in await cursor.fetchall())
    return sorted(matches, reverse=True)[:RECENT_MATCHES]


async def latest_articles(
    connection: aiosqlite.Connection,
    *,
    topics: Sequence[str],
    since: datetime | None,
    limit: int,
) -> list[Article]:
    """Newest articles first, optionally only those matching any topic or newer than ``since``."""
    conditions: list[str] = []
    parameters: list[Any] = []
    # Walking the time index and testing each id beats looking up every match by id, whose
    # row must be read past the article text to find its time, unless matches are very few.
    plan = "INDEXED BY articles_by_time"
    if topics:
        matches = await _topic_matches(connection, topics)
        if not matches:
            return []
        if len(matches) <= FEW_MATCHES:
            plan = ""
        conditions.append("a.id IN (SELECT value FROM json_each(?))")
        parameters.append(json.dumps(matches))
    if since is not None:
        conditions.append("a.sort_at >= ?")
        parameters.append(to_epoch(since))
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    async with connection.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles a {plan} {where}"
        " ORDER BY a.sort_at DESC, a.id DESC LIMIT ?",
        (*parameters, limit),
    ) as cursor:
        return [article_from_row(row) for row in await cursor.fetchall()]


async def _topic_headline_matches(connection: aiosqlite.Connection, topic: str) -> list[int]:
    """Ids of the most recently stored headlines matching a topic by text or category."""
    normalized = canonical_topic(topic)
    matches: set[int] = set()
    expression = topic_match_expression([normalized])
    if expression is not None:
        async with connection.execute(
            "SELECT rowid FROM headlines_fts WHERE headlines_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT ?",
            (expression, RECENT_MATCHES),
        ) as cursor:
            matches.update(row[0] for row in await cursor.fetchall())
    async with connection.execute(
        "SELECT h.id FROM headlines h WHERE h.article_id IN (SELECT article_id"
        " FROM article_categories WHERE category = ? ORDER BY article_id DESC LIMIT ?)",
        (normalized, RECENT_MATCHES),
    ) as cursor:
        matches.update(row[0] for row in await cursor.fetchall())
    return sorted(matches, reverse=True)[:RECENT_MATCHES]


async def latest_headlines(
    connection: aiosqlite.Connection, *, topic: str | None, limit: int
) -> list[Headline]:
    """Newest headlines first (bare ones and article titles), optionally for one topic."""
    where = ""
    parameters: list[Any] = []
    plan = "INDEXED BY headlines_by_time"
    if topic is not None:
        matches = await _topic_headline_matches(connection, topic)
        if not matches:
            return []
        if len(matches) <= FEW_MATCHES:
            plan = ""
        where = "AND h.id IN (SELECT value FROM json_each(?))"
        parameters.append(json.dumps(matches))
    # A bare headline repeating an article's title is shown once, as the article's.
    async with connection.execute(
        f"SELECT {HEADLINE_COLUMNS} FROM headlines h {plan}"
        " WHERE NOT (h.article_id IS NULL AND EXISTS (SELECT 1 FROM headlines a"
        f" WHERE a.title_key = h.title_key AND a.article_id IS NOT NULL)) {where}"
        " ORDER BY h.sort_at DESC, h.id DESC LIMIT ?",
        (*parameters, limit),
    ) as cursor:
        return [headline_from_row(row) for row in await cursor.fetchall()]


async def cached_summaries(
    connection: aiosqlite.Connection, article_ids: Sequence[int], algorithm: str, length: int
) -> dict[int, tuple[str, ...]]:
    """Cached summary sentences for many articles at once (missing ones are absent)."""
    summaries: dict[int, tuple[str, ...]] = {}
    ids = list(article_ids)
    # SQLite accepts many more bound parameters, but short IN lists keep each statement quick.
    for chunk in chunks(ids):
        async with connection.execute(
            "SELECT article_id, sentences FROM summary_cache WHERE article_id IN"
            f" ({placeholders(len(chunk))}) AND algorithm = ? AND length = ?",
            (*chunk, algorithm, length),
        ) as cursor:
            for article_id, sentences in await cursor.fetchall():
                summaries[article_id] = tuple(json.loads(sentences))
    return summaries


async def cache_summary(
    connection: aiosqlite.Connection,
    article_id: int,
    algorithm: str,
    length: int,
    sentences: Sequence[str],
    *,
    now: datetime,
) -> None:
    """Store (or replace) summary sentences."""
    await connection.execute(
        "INSERT OR REPLACE INTO summary_cache (article_id, algorithm, length, sentences,"
        " created_at) VALUES (?, ?, ?, ?, ?)",
        (article_id, algorithm, length, json.dumps(list(sentences)), to_epoch(now)),
    )


class Articles:
    """Stored news: ingesting, reading, search, related headlines, the summary cache.

    ``store.articles``; it holds the related-headline ranker, so ``close`` it with the store.
    """

    def __init__(self, database: Database) -> None:
        self._db = database
        self._ranker = RelatedRanker()

    def close(self) -> None:
        """Release the ranker's worker resources."""
        self._ranker.close()

    async def ingest(
        self,
        records: Iterable[Record],
        *,
        skip_bad: bool = False,
        feed_id: int | None = None,
        now: datetime | None = None,
    ) -> IngestReport:
        """Store parsed records in one transaction: all or nothing unless ``skip_bad``."""
        async with self._db.write() as connection:
            return await write_records(
                connection, records, now=now or now_utc(), skip_bad=skip_bad, feed_id=feed_id
            )

    async def stored_urls(self, urls: Sequence[str]) -> set[str]:
        """Those of ``urls`` that are stored already (their pages need no fetching)."""
        async with self._db.read() as connection:
            return await stored_urls(connection, urls)

    async def get(self, article_id: int) -> Article | None:
        """Return one article or None."""
        async with self._db.read() as connection:
            return await fetch_article(connection, article_id)

    async def search(self, query: str, *, limit: int = 10) -> list[SearchHit]:
        """BM25-ranked articles for a free-text query (query syntax is taken literally)."""
        async with self._db.read() as connection:
            return await search(connection, query, limit=limit)

    async def latest(
        self,
        *,
        topics: Sequence[str] = (),
        since: datetime | None = None,
        limit: int = 5,
    ) -> list[Article]:
        """Newest articles, optionally only those matching any of ``topics``."""
        async with self._db.read() as connection:
            return await latest_articles(connection, topics=topics, since=since, limit=limit)

    async def latest_headlines(
        self, *, topic: str | None = None, limit: int = 10
    ) -> list[Headline]:
        """Newest headlines (bare headlines and article titles), optionally for one topic."""
        async with self._db.read() as connection:
            return await latest_headlines(connection, topic=topic, limit=limit)

    async def related(self, article_id: int, *, limit: int = 3) -> list[RelatedHeadline]:
        """Headlines that concern the article, above a relevance threshold, best first."""
        article = await self.get(article_id)
        if article is None:
            return []
        profile = await asyncio.to_thread(self._ranker.profile, article.title, article.text)
        async with self._db.read() as connection:
            return await related_headlines(
                connection, self._ranker, profile, limit=limit, exclude_article_id=article_id
            )

    async def related_to_text(
        self, text: str, *, title: str | None = None, limit: int = 3
    ) -> list[RelatedHeadline]:
        """Headlines that concern an arbitrary text (a pasted message or a fetched page)."""
        profile = await asyncio.to_thread(self._ranker.profile, title or "", text)
        async with self._db.read() as connection:
            return await related_headlines(connection, self._ranker, profile, limit=limit)

    async def same_story_groups(self, article_ids: Sequence[int]) -> list[tuple[int, ...]]:
        """The articles grouped by the event they report, best-written report first."""
        async with self._db.read() as connection:
            return await stories.same_story_groups(connection, article_ids)

    async def article_names(self, article_ids: Sequence[int]) -> dict[int, frozenset[str]]:
        """The names (people, places, organisations) each article's text uses."""
        async with self._db.read() as connection:
            return await stories.article_names(connection, article_ids)

    async def cached_summary(
        self, article_id: int, algorithm: str, length: int
    ) -> tuple[str, ...] | None:
        """Cached summary sentences, or None."""
        return (await self.cached_summaries([article_id], algorithm, length)).get(article_id)

    async def cached_summaries(
        self, article_ids: Sequence[int], algorithm: str, length: int
    ) -> dict[int, tuple[str, ...]]:
        """Cached summary sentences for many articles at once (missing ones are absent)."""
        async with self._db.read() as connection:
            return await cached_summaries(connection, article_ids, algorithm, length)

    async def cache_summary(
        self, article_id: int, algorithm: str, length: int, sentences: Sequence[str]
    ) -> None:
        """Store summary sentences for an article."""
        async with self._db.write() as connection:
            await cache_summary(connection, article_id, algorithm, length, sentences, now=now_utc())
