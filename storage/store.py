"""The Store: typed async access to the newsbot database; the facade over the storage modules."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from storage import articles, chats, feeds, stories, subscriptions
from storage.database import Database
from storage.errors import StorageError
from storage.ingest.records import Record
from storage.ingest.writer import write_records
from storage.models import (
    Article,
    Chat,
    Feed,
    Headline,
    IngestReport,
    RelatedHeadline,
    SearchHit,
)
from storage.related import RelatedRanker, related_headlines
from storage.timestamps import now_utc, to_epoch


class _Unset:
    """Marker for 'leave this field unchanged' in partial updates."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


class Store:
    """One open database. Create with ``await Store.open(path)``; close with ``await close()``."""

    def __init__(self, database: Database, path: Path) -> None:
        self._db = database
        self._ranker = RelatedRanker()
        self.path = path

    @classmethod
    async def open(cls, path: str | Path, *, create: bool = True) -> Store:
        """Open (migrating as needed) the database at ``path``; only ``create`` makes a new one."""
        return cls(await Database.open(path, create=create), Path(path))

    async def close(self) -> None:
        """Close the connections."""
        await self._db.close()
        self._ranker.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def database(self) -> Database:
        """The connections, for storage modules that add their own queries (feeds, digests)."""
        return self._db

    # chats
    async def ensure_chat(
        self, chat_id: int, *, kind: str = "private", language: str | None = None
    ) -> Chat:
        """Return the chat, creating it; a chat marked inactive becomes active again."""
        async with self._db.write() as connection:
            return await chats.ensure_chat(
                connection, chat_id, kind=kind, language=language, now=now_utc()
            )

    async def get_chat(self, chat_id: int) -> Chat | None:
        """Return the chat or None."""
        async with self._db.read() as connection:
            return await chats.fetch_chat(connection, chat_id)

    async def update_chat(
        self,
        chat_id: int,
        *,
        time_zone: str | _Unset = UNSET,
        digest_time: time | _Unset | None = UNSET,
        digest_days: frozenset[int] | _Unset = UNSET,
        summary_length: str | _Unset = UNSET,
        language: str | _Unset | None = UNSET,
        paused: bool | _Unset = UNSET,
        message_thread_id: int | _Unset | None = UNSET,
        last_digest_at: datetime | _Unset | None = UNSET,
    ) -> Chat:
        """Change some preferences of an existing chat and return it."""
        changes: dict[str, Any] = {}
        if not isinstance(time_zone, _Unset):
            changes["time_zone"] = time_zone
        if not isinstance(digest_time, _Unset):
            changes["digest_time"] = chats.encode_time(digest_time)
        if not isinstance(digest_days, _Unset):
            changes["digest_days"] = chats.encode_days(digest_days)
        if not isinstance(summary_length, _Unset):
            changes["summary_length"] = summary_length
        if not isinstance(language, _Unset):
            changes["language"] = language
        if not isinstance(paused, _Unset):
            changes["paused"] = int(paused)
        if not isinstance(message_thread_id, _Unset):
            changes["message_thread_id"] = message_thread_id
        if not isinstance(last_digest_at, _Unset):
            changes["last_digest_at"] = to_epoch(last_digest_at)
        async with self._db.write() as connection:
            if not await chats.update_chat(connection, chat_id, changes):
                raise StorageError(f"no chat {chat_id}; call ensure_chat first")
            chat = await chats.fetch_chat(connection, chat_id)
        assert chat is not None
        return chat

    async def set_chat_active(self, chat_id: int, active: bool) -> None:
        """Mark a chat (in)active, e.g. inactive after Telegram answers 403."""
        async with self._db.write() as connection:
            await chats.update_chat(connection, chat_id, {"active": int(active)})

    async def forget_chat(self, chat_id: int) -> None:
        """Delete everything stored about a chat, from the WAL too."""
        async with self._db.write() as connection:
            await chats.forget_chat(connection, chat_id)
        await self._db.checkpoint()

    async def active_chats(self) -> list[Chat]:
        """Every active chat, for schedulers."""
        async with self._db.read() as connection:
            return await chats.active_chats(connection)

    # subscriptions
    async def subscribe(self, chat_id: int, topic: str) -> bool:
        """Add a normalised topic; True when it was new. Raises InvalidTopicError."""
        async with self._db.write() as connection:
            return await subscriptions.subscribe(connection, chat_id, topic, now_utc())

    async def unsubscribe(self, chat_id: int, topic: str) -> bool:
        """Remove a topic; True when it was there."""
        async with self._db.write() as connection:
            return await subscriptions.unsubscribe(connection, chat_id, topic)

    async def list_subscriptions(self, chat_id: int) -> list[str]:
        """The chat's topics, alphabetically."""
        async with self._db.read() as connection:
            return await subscriptions.list_subscriptions(connection, chat_id)

    async def suggested_topics(self, *, limit: int = 8) -> list[str]:
        """Topics that occur in recent news, for subscribe buttons."""
        async with self._db.read() as connection:
            return await subscriptions.suggested_topics(connection, limit=limit)

    # articles and headlines
    async def get_article(self, article_id: int) -> Article | None:
        """Return one article or None."""
        async with self._db.read() as connection:
            return await articles.fetch_article(connection, article_id)

    async def search(self, query: str, *, limit: int = 10) -> list[SearchHit]:
        """BM25-ranked articles for a free-text query (query syntax is taken literally)."""
        async with self._db.read() as connection:
            return await articles.search(connection, query, limit=limit)

    async def latest_articles(
        self,
        *,
        topics: Sequence[str] = (),
        since: datetime | None = None,
        limit: int = 5,
    ) -> list[Article]:
        """Newest articles, optionally only those matching any of ``topics``."""
        async with self._db.read() as connection:
            return await articles.latest_articles(
                connection, topics=topics, since=since, limit=limit
            )

    async def latest_headlines(
        self, *, topic: str | None = None, limit: int = 10
    ) -> list[Headline]:
        """Newest headlines (bare headlines and article titles), optionally for one topic."""
        async with self._db.read() as connection:
            return await articles.latest_headlines(connection, topic=topic, limit=limit)

    async def related_headlines(self, article_id: int, *, limit: int = 3) -> list[RelatedHeadline]:
        """Headlines that concern the article, above a relevance threshold, best first."""
        article = await self.get_article(article_id)
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

    # summary cache
    async def cached_summary(
        self, article_id: int, algorithm: str, length: int
    ) -> tuple[str, ...] | None:
        """Cached summary sentences, or None."""
        async with self._db.read() as connection:
            return await articles.cached_summary(connection, article_id, algorithm, length)

    async def cache_summary(
        self, article_id: int, algorithm: str, length: int, sentences: Sequence[str]
    ) -> None:
        """Store summary sentences for an article."""
        async with self._db.write() as connection:
            await articles.cache_summary(
                connection, article_id, algorithm, length, sentences, now=now_utc()
            )

    # feeds
    async def add_feed(
        self, url: str, *, topic: str | None = None, title: str | None = None
    ) -> tuple[Feed, bool]:
        """Add a feed to poll (or set the topic of a known one); True when it was new."""
        async with self._db.write() as connection:
            return await feeds.add_feed(connection, feeds.FeedEntry(url, title, topic), now_utc())

    async def set_feed_fetch_pages(self, url_or_id: str, enabled: bool) -> Feed | None:
        """Turn page fetching on or off for one feed; None when there is no such feed."""
        async with self._db.write() as connection:
            return await feeds.set_fetch_pages(connection, url_or_id, enabled)

    async def add_feeds(self, entries: Iterable[feeds.FeedEntry]) -> list[Feed]:
        """Add several feeds in one transaction (OPML import); returns the new ones."""
        added: list[Feed] = []
        async with self._db.write() as connection:
            for entry in entries:
                feed, created = await feeds.add_feed(connection, entry, now_utc())
                if created:
                    added.append(feed)
        return added

    async def add_feeds_from_environment(self, environ: Mapping[str, str]) -> list[Feed]:
        """Add the feeds listed in ``NEWSBOT_FEEDS`` (comma-separated); call at start-up."""
        return await self.add_feeds(feeds.feeds_from_environment(environ))

    async def list_feeds(self) -> list[Feed]:
        """Every feed, in the order added."""
        async with self._db.read() as connection:
            return await feeds.list_feeds(connection)

    async def remove_feed(self, url_or_id: str) -> Feed | None:
        """Stop polling a feed given by URL or id; returns it, or None when unknown."""
        async with self._db.write() as connection:
            return await feeds.remove_feed(connection, url_or_id)

    # ingestion
    async def stored_urls(self, urls: Sequence[str]) -> set[str]:
        """Those of ``urls`` that are stored already (their pages need no fetching)."""
        async with self._db.read() as connection:
            return await articles.stored_urls(connection, urls)

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
