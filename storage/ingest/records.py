"""What parsers produce: articles, bare headlines, and bad records with their location."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from storage.errors import IngestError, IngestErrorCode


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
    """A headline without an article body, perhaps with a teaser (``summary``).

    One with a link is news too: it is stored as an article whose text is the teaser, so
    digests, search and topic matching find it; one without a link only lists and relates.
    """

    title: str
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    summary: str = ""
    language: str | None = None
    categories: tuple[str, ...] = ()

    def as_article(self) -> ArticleRecord:
        """The article row a linked headline is stored as."""
        return ArticleRecord(
            text=self.summary,
            title=self.title,
            url=self.url,
            source=self.source,
            published_at=self.published_at,
            language=self.language,
            categories=self.categories,
        )


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record that could not be parsed; ``location`` is ``file:line`` when there is a line.

    ``reason`` is English, for the operator; ``code`` and ``values`` (the ``line`` and what the
    code's wording needs) are for a reader's message, worded by bot/.
    """

    location: str
    reason: str
    code: IngestErrorCode
    values: Mapping[str, object] = field(default_factory=dict)

    def describe(self) -> str:
        """One line for the operator."""
        return f"{self.location}: {self.reason}"

    def error(self) -> IngestError:
        """The error that stops an ingest at this record."""
        return IngestError(self.code, self.describe(), **self.values)


Record = ArticleRecord | HeadlineRecord | BadRecord
