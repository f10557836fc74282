"""What parsers produce: articles, bare headlines, and bad records with their location."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """An article as parsed, before storage decides whether it is new."""

    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    categories: tuple[str, ...] = ()
    # The lead image's URL (media:content, an image enclosure, og:image); never downloaded.
    image_url: str | None = None


@dataclass(frozen=True, slots=True)
class HeadlineRecord:
    """A bare headline: a title with no article body."""

    title: str
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record that could not be parsed; ``location`` is ``file:line`` when there is a line."""

    location: str
    reason: str

    def describe(self) -> str:
        """One line for the operator."""
        return f"{self.location}: {self.reason}"


Record = ArticleRecord | HeadlineRecord | BadRecord
