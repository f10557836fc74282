"""The Store: typed async access to the newsbot database (contract; implementation pending)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from pathlib import Path
from types import TracebackType
from typing import Self

from storage.models import Article, Chat, Headline, RelatedHeadline, SearchHit


class _Unset:
    """Marker for 'leave this field unchanged' in partial updates."""


UNSET = _Unset()


class Store:
    """One open database. Create with ``await Store.open(path)``; close with ``await close()``."""

    @classmethod
    async def open(cls, path: str | Path) -> Store:
        """Open (creating and migrating as needed) the database at ``path``."""
        raise NotImplementedError

    async def close(self) -> None:
        """Close the connections."""
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    # chats
    async def ensure_chat(
        self, chat_id: int, *, kind: str = "private", language: str | None = None
    ) -> Chat:
        """Return the chat, creating it; a chat marked inactive becomes active again."""
        raise NotImplementedError

    async def get_chat(self, chat_id: int) -> Chat | None:
        """Return the chat or None."""
        raise NotImplementedError

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
    ) -> Chat:
        """Change some preferences of an existing chat and return it."""
        raise NotImplementedError

    async def set_chat_active(self, chat_id: int, active: bool) -> None:
        """Mark a chat (in)active, e.g. inactive after Telegram answers 403."""
        raise NotImplementedError

    async def forget_chat(self, chat_id: int) -> None:
        """Delete everything stored about a chat."""
        raise NotImplementedError

    # subscriptions
    async def subscribe(self, chat_id: int, topic: str) -> bool:
        """Add a normalised topic; True when it was new. Raises InvalidTopicError."""
        raise NotImplementedError

    async def unsubscribe(self, chat_id: int, topic: str) -> bool:
        """Remove a topic; True when it was there."""
        raise NotImplementedError

    async def list_subscriptions(self, chat_id: int) -> list[str]:
        """The chat's topics, alphabetically."""
        raise NotImplementedError

    async def suggested_topics(self, *, limit: int = 8) -> list[str]:
        """Topics that occur in recent news, for subscribe buttons."""
        raise NotImplementedError

    # articles and headlines
    async def get_article(self, article_id: int) -> Article | None:
        """Return one article or None."""
        raise NotImplementedError

    async def search(self, query: str, *, limit: int = 10) -> list[SearchHit]:
        """BM25-ranked articles for a free-text query (query syntax is taken literally)."""
        raise NotImplementedError

    async def latest_articles(
        self,
        *,
        topics: Sequence[str] = (),
        since: datetime | None = None,
        limit: int = 5,
    ) -> list[Article]:
        """Newest articles, optionally only those matching any of ``topics``."""
        raise NotImplementedError

    async def latest_headlines(
        self, *, topic: str | None = None, limit: int = 10
    ) -> list[Headline]:
        """Newest headlines (bare headlines and article titles), optionally for one topic."""
        raise NotImplementedError

    async def related_headlines(self, article_id: int, *, limit: int = 3) -> list[RelatedHeadline]:
        """Headlines that concern the article, above a relevance threshold, best first."""
        raise NotImplementedError

    async def related_to_text(
        self, text: str, *, title: str | None = None, limit: int = 3
    ) -> list[RelatedHeadline]:
        """Headlines that concern an arbitrary text (a pasted message or a fetched page)."""
        raise NotImplementedError

    # summary cache
    async def cached_summary(
        self, article_id: int, algorithm: str, length: int
    ) -> tuple[str, ...] | None:
        """Cached summary sentences, or None."""
        raise NotImplementedError

    async def cache_summary(
        self, article_id: int, algorithm: str, length: int, sentences: Sequence[str]
    ) -> None:
        """Store summary sentences for an article."""
        raise NotImplementedError
