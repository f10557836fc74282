"""Writing parsed records in chunks inside the caller's transaction, skipping what is stored."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

import aiosqlite

from storage.ingest.records import ArticleRecord, BadRecord, HeadlineRecord, Record
from storage.models import IngestReport
from storage.pictures import is_image_url
from storage.sql import placeholders
from storage.terms import shared_splitter
from storage.text import collapse_spaces, content_hash, derive_title, title_key
from storage.timestamps import to_epoch
from storage.topics import MAX_TOPIC_LENGTH

CHUNK_SIZE = 500
# Longer than nearly any news article (a long read is 30,000-40,000 characters). Every later
# step (indexing, topic matching, related headlines, summaries) costs time per character, so
# one huge document (a 4.5 MB one-line file) is stored cut here rather than slowing them all.
MAX_STORED_TEXT_CHARS = 50_000
# A shorter title is too generic ("Live updates") to say two articles are one story.
MIN_STORY_TITLE_WORDS = 4
# Below this many words a text is a teaser, hashed together with its title.
MIN_BODY_WORDS = 20


@dataclass(slots=True)
class _Progress:
    next_article_id: int
    next_story_id: int
    new_articles: int = 0
    new_headlines: int = 0
    skipped: int = 0
    bad: list[str] = field(default_factory=list)

    def report(self) -> IngestReport:
        return IngestReport(self.new_articles, self.new_headlines, self.skipped, tuple(self.bad))


def stored_text(text: str) -> str:
    """The article text as stored: stripped, and cut at a space after MAX_STORED_TEXT_CHARS."""
    text = text.strip()
    if len(text) <= MAX_STORED_TEXT_CHARS:
        return text
    cut = text[:MAX_STORED_TEXT_CHARS]
    # At a word boundary when there is one in the last stretch, so no word is stored half.
    boundary = cut.rfind(" ", MAX_STORED_TEXT_CHARS - 1000)
    return (cut[:boundary] if boundary > 0 else cut).rstrip() + " …"


def _take(iterator: Iterator[Record], size: int) -> list[Record]:
    return list(islice(iterator, size))


async def _existing(
    connection: aiosqlite.Connection, sql: str, values: Sequence[Any]
) -> list[tuple[Any, ...]]:
    if not values:
        return []
    async with connection.execute(sql.format(placeholders(len(values))), tuple(values)) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


def _content_key(record: ArticleRecord) -> str:
    # A teaser or an empty body says little on its own ("Comments"): with its title it does.
    if len(record.text.split()) < MIN_BODY_WORDS:
        return content_hash(f"{record.title or ''}\n{record.text}")
    return content_hash(record.text)


def _published(moment: datetime | None, first_seen: int) -> int:
    # Every stored item has a published time: the source's, else when it was first seen.
    published = to_epoch(moment)
    return first_seen if published is None else published


def _categories(record: ArticleRecord) -> list[str]:
    seen = dict.fromkeys(
        collapse_spaces(category).lower()[:MAX_TOPIC_LENGTH] for category in record.categories
    )
    return [category for category in seen if category]


async def _count_terms(connection: aiosqlite.Connection, documents: list[str]) -> None:
    """Add the documents' term counts to term_stats (idf for related headlines)."""
    if not documents:
        return
    counts = await asyncio.to_thread(shared_splitter().document_frequencies, documents)
    counts.append(("", len(documents)))
    await connection.executemany(
        "INSERT INTO term_stats (term, docs) VALUES (?, ?)"
        " ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs",
        counts,
    )


async def _write_articles(
    connection: aiosqlite.Connection,
    records: list[ArticleRecord],
    progress: _Progress,
    now: datetime,
    feed_id: int | None,
) -> int:
    """Insert the new articles; returns how many were new."""
    prepared = [
        (record, _content_key(record), title_key(record.title or derive_title(record.text)))
        for record in records
    ]
    urls = list({record.url for record, _, _ in prepared if record.url})
    hashes = list({digest for _, digest, _ in prepared})
    keys = list({key for _, _, key in prepared if len(key.split()) >= MIN_STORY_TITLE_WORDS})
    known_urls = {
        row[0]
        for row in await _existing(connection, "SELECT url FROM articles WHERE url IN ({})", urls)
    }
    known_texts: dict[tuple[str, str], int] = {}
    story_by_hash: dict[str, int] = {}
    for digest, source, story in await _existing(
        connection,
        "SELECT content_hash, coalesce(source, ''), story_id FROM articles"
        " WHERE content_hash IN ({})",
        hashes,
    ):
        known_texts[(digest, source)] = story
        story_by_hash.setdefault(digest, story)
    story_by_title = dict(
        await _existing(
            connection, "SELECT title_key, story_id FROM articles WHERE title_key IN ({})", keys
        )
    )
    article_rows: list[tuple[Any, ...]] = []
    category_rows: list[tuple[str, int]] = []
    image_rows: list[tuple[int, str | None]] = []
    fetched = to_epoch(now)
    assert fetched is not None  # now is a datetime
    for record, digest, key in prepared:
        source_key = record.source or ""
        if (record.url and record.url in known_urls) or (digest, source_key) in known_texts:
            progress.skipped += 1
            continue
        # The same text or the same (specific) title from another source is the same story.
        story = story_by_hash.get(digest) or (
            story_by_title.get(key) if len(key.split()) >= MIN_STORY_TITLE_WORDS else None
        )
        if story is None:
            story = progress.next_story_id
            progress.next_story_id += 1
        article_id = progress.next_article_id
        progress.next_article_id += 1
        if record.url:
            known_urls.add(record.url)
        known_texts[(digest, source_key)] = story
        story_by_hash.setdefault(digest, story)
        if len(key.split()) >= MIN_STORY_TITLE_WORDS:
            story_by_title.setdefault(key, story)
        categories = _categories(record)
        published = _published(record.published_at, fetched)
        article_rows.append(
            (
                article_id,
                record.url,
                digest,
                collapse_spaces(record.title or derive_title(record.text)),
                key,
                stored_text(record.text),
                record.language,
                record.source,
                published,
                fetched,
                published,
                story,
                json.dumps(categories, ensure_ascii=False),
                feed_id,
            )
        )
        category_rows.extend((category, article_id) for category in categories)
        if is_image_url(record.image_url):
            image_rows.append((article_id, record.image_url))
    await connection.executemany(
        "INSERT INTO articles (id, url, content_hash, title, title_key, text, language, source,"
        " published_at, fetched_at, sort_at, story_id, categories, feed_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        article_rows,
    )
    await connection.executemany(
        "INSERT OR IGNORE INTO article_categories (category, article_id) VALUES (?, ?)",
        category_rows,
    )
    await connection.executemany(
        "INSERT INTO article_images (article_id, url) VALUES (?, ?)", image_rows
    )
    await _count_terms(connection, [f"{row[3]}\n{row[5]}" for row in article_rows])
    return len(article_rows)


async def _write_headlines(
    connection: aiosqlite.Connection,
    records: list[HeadlineRecord],
    progress: _Progress,
    now: datetime,
) -> None:
    keyed = [(record, title_key(record.title)) for record in records]
    known = {
        row[0]
        for row in await _existing(
            connection,
            "SELECT title_key FROM headlines WHERE article_id IS NULL AND title_key IN ({})",
            list({key for _, key in keyed}),
        )
    }
    rows: list[tuple[Any, ...]] = []
    fetched = to_epoch(now)
    assert fetched is not None  # now is a datetime
    for record, key in keyed:
        if not key or key in known:
            progress.skipped += 1
            continue
        known.add(key)
        published = _published(record.published_at, fetched)
        rows.append(
            (
                collapse_spaces(record.title),
                key,
                record.url,
                record.source,
                published,
                fetched,
                published,
            )
        )
    await connection.executemany(
        "INSERT INTO headlines (title, title_key, url, source, published_at, fetched_at, sort_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    await _count_terms(connection, [row[0] for row in rows])
    progress.new_headlines += len(rows)


async def write_records(
    connection: aiosqlite.Connection,
    records: Iterable[Record],
    *,
    now: datetime,
    skip_bad: bool = False,
    feed_id: int | None = None,
) -> IngestReport:
    """Store new records in the open transaction; a bad record raises unless ``skip_bad``.

    Records are pulled in chunks on a worker thread, so a parser reading a file never blocks
    the event loop and a large source never sits in memory whole.
    """
    async with connection.execute(
        "SELECT coalesce(max(id), 0) + 1, coalesce(max(story_id), 0) + 1 FROM articles"
    ) as cursor:
        row = await cursor.fetchone()
    assert row is not None
    progress = _Progress(next_article_id=row[0], next_story_id=row[1])
    iterator = iter(records)
    while chunk := await asyncio.to_thread(_take, iterator, CHUNK_SIZE):
        articles: list[ArticleRecord] = []
        linked: list[ArticleRecord] = []
        headlines: list[HeadlineRecord] = []
        for record in chunk:
            if isinstance(record, BadRecord):
                if not skip_bad:
                    raise record.error()
                progress.bad.append(record.describe())
            elif isinstance(record, ArticleRecord):
                articles.append(record)
            elif record.url:
                # A linked headline is news too: an article without a body, counted as a headline.
                linked.append(record.as_article())
            else:
                headlines.append(record)
        progress.new_articles += await _write_articles(connection, articles, progress, now, feed_id)
        progress.new_headlines += await _write_articles(connection, linked, progress, now, feed_id)
        await _write_headlines(connection, headlines, progress, now)
    return progress.report()
