"""Fetching a web page for ``/summary URL``, behind a small interface the handlers depend on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.i18n import TranslatableError

__all__ = ["FetchError", "FetchedPage", "PageFetcher"]


class FetchError(TranslatableError):
    """The page could not be fetched or read; the message is fit to show a user."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """The readable part of a web page."""

    url: str
    title: str | None
    text: str
    published_at: datetime | None = None


class PageFetcher(Protocol):
    """Fetches a page with size and time limits and refuses private addresses."""

    async def fetch(self, url: str) -> FetchedPage:
        """Return the page's title and text or raise FetchError."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
