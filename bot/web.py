"""The page fetcher used in production: storage's safe fetcher, adapted to :class:`PageFetcher`.

storage.web (size and time limits, private addresses refused after every redirect) is being
written alongside the bot; until it is importable, /summary URL answers that reading web pages
is unavailable instead of fetching pages unsafely here.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from bot.fetching import FetchedPage, FetchError

__all__ = ["StorageWebFetcher"]

_LOGGER = logging.getLogger(__name__)


class StorageWebFetcher:
    """Fetches pages through ``storage.web.fetch_article``."""

    def __init__(self, *, allow_hosts: Iterable[str] = ()) -> None:
        self._allow_hosts = frozenset(host.lower() for host in allow_hosts)
        self._fetch_article: Any = None
        try:
            module = importlib.import_module("storage.web")
        except ImportError:
            _LOGGER.warning("storage.web is not available; /summary URL is switched off")
        else:
            self._fetch_article = module.fetch_article

    async def fetch(self, url: str) -> FetchedPage:
        """Fetch and extract a page, or raise FetchError with a message for the user."""
        if self._fetch_article is None:
            raise FetchError("Sorry, reading web pages is not available on this server yet.")
        host = (urlsplit(url).hostname or "").lower()
        try:
            page = await self._fetch_article(url, allow_private=host in self._allow_hosts)
        except Exception as error:
            # storage.web's errors carry messages fit for users; anything else stays generic.
            message = str(error) if type(error).__module__.startswith("storage") else ""
            raise FetchError(message or "Sorry, I could not read that page.") from error
        text = getattr(page, "text", "") or ""
        if not text.strip():
            raise FetchError("I could not find any article text on that page.")
        return FetchedPage(
            url=getattr(page, "url", url) or url,
            title=getattr(page, "title", None),
            text=text,
            published_at=getattr(page, "published_at", None) or getattr(page, "date", None),
        )

    async def close(self) -> None:
        """Nothing to release: storage.web owns its client."""
