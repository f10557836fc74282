"""Reading articles and headlines: by id, by full-text search, newest first, by topic."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from storage.models import Article, Headline, SearchHit
from storage.text import fts_all_words, fts_any_word
from storage.timestamps import from_epoch, to_epoch
from storage.topics import normalize_topic, topic_match_expression

ARTICLE_COLUMNS = (
    "a.id, a.url, a.title, a.text, a.language, a.source, a.published_at, a.fetched_at,"
    " a.story_id, a.categories"
)
HEADLINE_COLUMNS = "h.id, h.title, h.url, h.source, h.published_at"


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


async def search(
    connection: aiosqlite.Connection, query: str, *, limit: int, snippet_words: int = 16
) -> list[SearchHit]:
    """Articles containing every word of ``query`` (or, failing that, any word), best first."""
    hits: list[SearchHit] = []
    for expression in (fts_all_words(query), fts_any_word(query)):
        if expression is None:
            return []
        # ORDER BY rank uses the table's configured bm25 weights (title counts four times).
        async with connection.execute(
            f"SELECT {ARTICLE_COLUMNS}, -f.rank,"
            f" snippet(articles_fts, 1, '', '', '…', {int(snippet_words)})"
            " FROM articles_fts f JOIN articles a ON a.id = f.rowid"
            " WHERE articles_fts MATCH ? ORDER BY f.rank LIMIT ?",
            (expression, limit),
        ) as cursor:
            rows = await cursor.fetchall()
        hits = [
            SearchHit(article=article_from_row(row), score=float(row[10]), snippet=row[11])
            for row in rows
        ]
        if hits:
            break
    return hits


# Up to this many matches, the matching ids are collected and sorted by time; beyond it, a
# topic is common enough that walking the newest articles finds the few wanted ones sooner.
SMALL_MATCH_SET = 2000


async def _topic_condition(
    connection: aiosqlite.Connection, topics: Sequence[str]
) -> tuple[str, list[Any]]:
    """A condition on ``a.id`` matching any topic by text or by category."""
    normalized = [normalize_topic(topic) for topic in topics]
    categories = ", ".join("?" * len(normalized))
    expression = topic_match_expression(normalized)
    matches: set[int] = set()
    sources = [
        (
            f"SELECT article_id FROM article_categories WHERE category IN ({categories})",
            list(normalized),
        )
    ]
    if expression is not None:
        sources.append(("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [expression]))
    for sql, values in sources:
        async with connection.execute(f"{sql} LIMIT ?", (*values, SMALL_MATCH_SET + 1)) as cursor:
            matches.update(row[0] for row in await cursor.fetchall())
        if len(matches) > SMALL_MATCH_SET:
            break
    else:
        return "a.id IN (SELECT value FROM json_each(?))", [json.dumps(sorted(matches))]
    # A common topic: probe each article, newest first, until enough match.
    probes = [
        "EXISTS (SELECT 1 FROM article_categories c WHERE c.article_id = a.id"
        f" AND c.category IN ({categories}))"
    ]
    parameters: list[Any] = list(normalized)
    if expression is not None:
        probes.append(
            "EXISTS (SELECT 1 FROM articles_fts f WHERE articles_fts MATCH ? AND f.rowid = a.id)"
        )
        parameters.append(expression)
    return f"({' OR '.join(probes)})", parameters


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
    if topics:
        condition, topic_parameters = await _topic_condition(connection, topics)
        conditions.append(condition)
        parameters.extend(topic_parameters)
    if since is not None:
        conditions.append("a.sort_at >= ?")
        parameters.append(to_epoch(since))
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    async with connection.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles a {where}"
        " ORDER BY a.sort_at DESC, a.id DESC LIMIT ?",
        (*parameters, limit),
    ) as cursor:
        return [article_from_row(row) for row in await cursor.fetchall()]


async def latest_headlines(
    connection: aiosqlite.Connection, *, topic: str | None, limit: int
) -> list[Headline]:
    """Newest headlines first (bare ones and article titles), optionally for one topic."""
    where = ""
    parameters: list[Any] = []
    if topic is not None:
        normalized = normalize_topic(topic)
        parts = [
            "SELECT h2.id FROM headlines h2 JOIN article_categories c"
            " ON c.article_id = h2.article_id WHERE c.category = ?"
        ]
        parameters.append(normalized)
        expression = topic_match_expression([normalized])
        if expression is not None:
            parts.append("SELECT rowid FROM headlines_fts WHERE headlines_fts MATCH ?")
            parameters.append(expression)
        where = f"AND h.id IN ({' UNION '.join(parts)})"
    # A bare headline repeating an article's title is shown once, as the article's.
    async with connection.execute(
        f"SELECT {HEADLINE_COLUMNS} FROM headlines h WHERE NOT (h.article_id IS NULL AND EXISTS"
        " (SELECT 1 FROM headlines a WHERE a.title_key = h.title_key"
        f" AND a.article_id IS NOT NULL)) {where}"
        " ORDER BY h.sort_at DESC, h.id DESC LIMIT ?",
        (*parameters, limit),
    ) as cursor:
        return [headline_from_row(row) for row in await cursor.fetchall()]


async def cached_summary(
    connection: aiosqlite.Connection, article_id: int, algorithm: str, length: int
) -> tuple[str, ...] | None:
    """Cached sentences or None."""
    async with connection.execute(
        "SELECT sentences FROM summary_cache WHERE article_id = ? AND algorithm = ? AND length = ?",
        (article_id, algorithm, length),
    ) as cursor:
        row = await cursor.fetchone()
    return tuple(json.loads(row[0])) if row else None


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
