"""Plain dataclasses returned by the storage layer. Times are timezone-aware UTC."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article."""

    id: int
    url: str | None
    title: str
    text: str
    language: str | None
    source: str | None
    published_at: datetime | None
    fetched_at: datetime
    story_id: int
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Headline:
    """A stored bare headline (a title with no article body)."""

    id: int
    title: str
    url: str | None
    source: str | None
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class RelatedHeadline:
    """A headline or another article's title that concerns a given article."""

    title: str
    url: str | None
    source: str | None
    score: float
    article_id: int | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article matching a query, with a short highlighted-free snippet."""

    article: Article
    score: float
    snippet: str


@dataclass(frozen=True, slots=True)
class Chat:
    """A Telegram chat (a person, group or channel) and its preferences."""

    id: int
    kind: str = "private"
    language: str | None = None
    time_zone: str = "UTC"
    digest_time: time | None = None
    digest_days: frozenset[int] = field(default_factory=lambda: frozenset(range(7)))
    summary_length: str = "medium"
    active: bool = True
    paused: bool = False
    message_thread_id: int | None = None
    last_digest_at: datetime | None = None
    # None until the scheduler computes it from the schedule (a schedule change clears it).
    next_digest_at: datetime | None = None
    max_stories: int = 5
    notify_empty: bool = False
    lookback_hours: int = 24


@dataclass(frozen=True, slots=True)
class Feed:
    """A polled RSS or Atom feed."""

    id: int
    url: str
    title: str | None
    topic: str | None
    etag: str | None
    last_modified: str | None
    failures: int
    last_error: str | None
    next_poll_at: datetime | None
    # Fetch the article pages of this feed's headline-only items (when fetching is on at all).
    fetch_pages: bool = True


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one ingest run did."""

    new_articles: int = 0
    new_headlines: int = 0
    skipped: int = 0
    bad: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one round of feed polling did."""

    polled: int = 0
    not_modified: int = 0
    failed: int = 0
    new_articles: int = 0
    new_headlines: int = 0
    errors: tuple[str, ...] = ()
