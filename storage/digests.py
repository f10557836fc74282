"""Digest queries: which chats are due, what is new for them, and the delivery log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "DigestArticle",
    "StoryMember",
    "TopicMatch",
]


@dataclass(frozen=True, slots=True)
class DigestArticle:
    """The few columns of an article a digest shows (never the body, to keep memory flat)."""

    id: int
    story_id: int
    title: str
    url: str | None
    source: str | None
    published_at: datetime | None
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """An article matching a topic; ``strength`` is higher for a better match (0 < s <= 1)."""

    article_id: int
    strength: float


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One article of a story, as needed to credit every source that carries it."""

    article_id: int
    source: str | None
