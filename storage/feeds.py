"""The list of polled feeds: adding, removing, OPML import and export, poll state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

import aiosqlite

from storage.database import Database
from storage.errors import StorageError
from storage.feed_health import FailingFeed, failing_feeds_since
from storage.ingest.records import Record
from storage.ingest.writer import write_records
from storage.models import Feed, IngestReport
from storage.timestamps import from_epoch, now_utc, to_epoch
from storage.topics import normalize_topic

FEED_COLUMNS = (
    "id, url, title, topic, etag, last_modified, failures, last_error, next_poll_at, fetch_pages"
)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """A feed to add: URL, optional title and topic."""

    url: str
    title: str | None = None
    topic: str | None = None


def feed_from_row(row: aiosqlite.Row | tuple[Any, ...]) -> Feed:
    """Build a Feed from a row selected with FEED_COLUMNS."""
    return Feed(
        id=row[0],
        url=row[1],
        title=row[2],
        topic=row[3],
        etag=row[4],
        last_modified=row[5],
        failures=row[6],
        last_error=row[7],
        next_poll_at=from_epoch(row[8]),
        fetch_pages=bool(row[9]),
    )


def check_feed_url(url: str) -> str:
    """The URL trimmed; raises StorageError unless it is an http(s) URL."""
    url = url.strip()
    if not url.startswith(("http://", "https://")) or len(url) < 12:
        raise StorageError(f"not an http(s) feed URL: {url!r}")
    return url


async def add_feed(
    connection: aiosqlite.Connection, entry: FeedEntry, now: datetime
) -> tuple[Feed, bool]:
    """Add a feed, due at once; returns it and whether it was new."""
    url = check_feed_url(entry.url)
    topic = normalize_topic(entry.topic) if entry.topic else None
    cursor = await connection.execute(
        # No next poll time: a new feed is due at once.
        "INSERT OR IGNORE INTO feeds (url, title, topic, added_at) VALUES (?, ?, ?, ?)",
        (url, entry.title, topic, to_epoch(now)),
    )
    created = cursor.rowcount > 0
    if not created and topic is not None:
        await connection.execute("UPDATE feeds SET topic = ? WHERE url = ?", (topic, url))
    feed = await find_feed(connection, url)
    assert feed is not None
    return feed, created


async def set_fetch_pages(
    connection: aiosqlite.Connection, url_or_id: str, enabled: bool
) -> Feed | None:
    """Turn page fetching for a feed's headline-only items on or off; None if no such feed."""
    feed = await find_feed(connection, url_or_id)
    if feed is None:
        return None
    await connection.execute(
        "UPDATE feeds SET fetch_pages = ? WHERE id = ?", (int(enabled), feed.id)
    )
    return await find_feed(connection, str(feed.id))


async def find_feed(connection: aiosqlite.Connection, url_or_id: str) -> Feed | None:
    """A feed by URL or by numeric id."""
    key = url_or_id.strip()
    query = f"SELECT {FEED_COLUMNS} FROM feeds WHERE url = ?"
    parameters: tuple[Any, ...] = (key,)
    if key.isdigit():
        query += " OR id = ?"
        parameters = (key, int(key))
    async with connection.execute(query, parameters) as cursor:
        row = await cursor.fetchone()
    return feed_from_row(row) if row else None


async def list_feeds(connection: aiosqlite.Connection) -> list[Feed]:
    """Every feed, in the order added."""
    async with connection.execute(f"SELECT {FEED_COLUMNS} FROM feeds ORDER BY id") as cursor:
        return [feed_from_row(row) for row in await cursor.fetchall()]


async def remove_feed(connection: aiosqlite.Connection, url_or_id: str) -> Feed | None:
    """Remove a feed (its articles stay); returns what was removed."""
    feed = await find_feed(connection, url_or_id)
    if feed is not None:
        await connection.execute("DELETE FROM feeds WHERE id = ?", (feed.id,))
    return feed


async def due_feeds(connection: aiosqlite.Connection, now: datetime) -> list[Feed]:
    """Feeds whose next poll time has come."""
    async with connection.execute(
        f"SELECT {FEED_COLUMNS} FROM feeds WHERE coalesce(next_poll_at, 0) <= ?"
        " ORDER BY coalesce(next_poll_at, 0), id",
        (to_epoch(now),),
    ) as cursor:
        return [feed_from_row(row) for row in await cursor.fetchall()]


async def record_poll_success(
    connection: aiosqlite.Connection,
    feed_id: int,
    *,
    etag: str | None,
    last_modified: str | None,
    title: str | None,
    next_poll_at: datetime,
) -> None:
    """Remember the validators and clear the failure count."""
    await connection.execute(
        "UPDATE feeds SET etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),"
        " title = coalesce(title, ?), failures = 0, last_error = NULL, next_poll_at = ?"
        " WHERE id = ?",
        (etag, last_modified, title, to_epoch(next_poll_at), feed_id),
    )


async def record_poll_failure(
    connection: aiosqlite.Connection, feed_id: int, *, error: str, next_poll_at: datetime
) -> None:
    """Count a failure and push the next poll back."""
    await connection.execute(
        "UPDATE feeds SET failures = failures + 1, last_error = ?, next_poll_at = ? WHERE id = ?",
        (error[:500], to_epoch(next_poll_at), feed_id),
    )


def parse_opml(data: bytes, *, name: str = "OPML") -> list[FeedEntry]:
    """Feeds in an OPML file; an outline's enclosing folder (or ``category``) is its topic."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise StorageError(f"{name}: not valid OPML ({error})") from error
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise StorageError(f"{name}: not an OPML document")
    entries: list[FeedEntry] = []

    def walk(element: ElementTree.Element, folder: str | None) -> None:
        for outline in element.findall("outline"):
            url = outline.get("xmlUrl")
            label = outline.get("title") or outline.get("text")
            if url:
                category = (outline.get("category") or "").strip("/").split("/")[-1] or None
                entries.append(FeedEntry(url.strip(), label, category or folder))
            else:
                walk(outline, label or folder)

    walk(body, None)
    return entries


def export_opml(feeds: list[Feed]) -> str:
    """An OPML 2.0 document listing the feeds, grouped by topic."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head><title>newsbot feeds</title></head>",
        "  <body>",
    ]
    for feed in feeds:
        title = feed.title or feed.url
        category = f" category={quoteattr(feed.topic)}" if feed.topic else ""
        lines.append(
            f'    <outline type="rss" text={quoteattr(title)} title={quoteattr(title)}'
            f" xmlUrl={quoteattr(feed.url)}{category}/>"
        )
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


class Feeds:
    """The polled feeds, their poll state and health: ``store.feeds``."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def add(
        self, url: str, *, topic: str | None = None, title: str | None = None
    ) -> tuple[Feed, bool]:
        """Add a feed to poll (or set the topic of a known one); True when it was new."""
        async with self._db.write() as connection:
            return await add_feed(connection, FeedEntry(url, title, topic), now_utc())

    async def add_many(self, entries: Iterable[FeedEntry]) -> list[Feed]:
        """Add several feeds in one transaction (OPML import); returns the new ones."""
        added: list[Feed] = []
        async with self._db.write() as connection:
            for entry in entries:
                feed, created = await add_feed(connection, entry, now_utc())
                if created:
                    added.append(feed)
        return added

    async def add_fetched(
        self,
        url: str,
        *,
        title: str | None,
        records: Iterable[Record],
        etag: str | None,
        last_modified: str | None,
        next_poll_at: datetime,
    ) -> tuple[Feed, IngestReport]:
        """Add a feed with what one fetch of it gave, all in one transaction.

        Its stories are stored and the fetch recorded as a successful poll, so the poller's
        first visit can be a normal (conditional) one; a failure leaves no half-added feed.
        """
        now = now_utc()
        async with self._db.write() as connection:
            feed, _ = await add_feed(connection, FeedEntry(url, title), now)
            report = await write_records(
                connection, records, now=now, skip_bad=True, feed_id=feed.id
            )
            await record_poll_success(
                connection,
                feed.id,
                etag=etag,
                last_modified=last_modified,
                title=title,
                next_poll_at=next_poll_at,
            )
        return feed, report

    async def set_fetch_pages(self, url_or_id: str, enabled: bool) -> Feed | None:
        """Turn page fetching on or off for one feed; None when there is no such feed."""
        async with self._db.write() as connection:
            return await set_fetch_pages(connection, url_or_id, enabled)

    async def all(self) -> list[Feed]:
        """Every feed, in the order added."""
        async with self._db.read() as connection:
            return await list_feeds(connection)

    async def remove(self, url_or_id: str) -> Feed | None:
        """Stop polling a feed given by URL or id; returns it, or None when unknown."""
        async with self._db.write() as connection:
            return await remove_feed(connection, url_or_id)

    async def due(self, now: datetime) -> list[Feed]:
        """Feeds whose next poll time has come."""
        async with self._db.read() as connection:
            return await due_feeds(connection, now)

    async def record_poll_success(
        self,
        feed_id: int,
        *,
        etag: str | None,
        last_modified: str | None,
        title: str | None,
        next_poll_at: datetime,
    ) -> None:
        """Remember the validators and clear the failure count."""
        async with self._db.write() as connection:
            await record_poll_success(
                connection,
                feed_id,
                etag=etag,
                last_modified=last_modified,
                title=title,
                next_poll_at=next_poll_at,
            )

    async def record_poll_failure(
        self, feed_id: int, *, error: str, next_poll_at: datetime
    ) -> None:
        """Count a failure and push the next poll back."""
        async with self._db.write() as connection:
            await record_poll_failure(connection, feed_id, error=error, next_poll_at=next_poll_at)

    async def failing(self, before: datetime) -> list[FailingFeed]:
        """Feeds failing without a break since ``before`` or earlier, longest failing first."""
        async with self._db.read() as connection:
            return await failing_feeds_since(connection, before)
