"""Fetching the article pages of feed items that came as headlines: politely, once per URL.

Many feeds carry only a title and a link (or a one-line teaser). Their pages are fetched through
the safe fetcher (size and time caps, address policy) and extracted with trafilatura, with the
manners a crawler owes a publisher: one request at a time per host with a pause between them,
a bound on requests in flight overall, a User-Agent naming the bot (the fetcher's), and
robots.txt obeyed. A page that cannot be fetched or has no article text leaves the headline as
it was: a failure never loses the item.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from cachetools import LRUCache

from feeds.errors import FetchError
from feeds.fetch import USER_AGENT, Fetcher
from storage.ingest.page import ExtractedPage, extract_page
from storage.ingest.records import ArticleRecord, HeadlineRecord, Record

_LOGGER = logging.getLogger(__name__)

# The pause between two requests to one host. Publishers' crawl-delay requests are usually
# 1-10 s; one second keeps a burst of new headlines from one site gentle but quick.
HOST_DELAY = 1.0
# Requests in flight at once over all hosts.
CONCURRENT_PAGES = 16
# URLs whose outcome (a page or a failure) is remembered, so a page is fetched once.
CACHE_SIZE = 4096
# A page with fewer words is no better than the headline's teaser.
MIN_PAGE_WORDS = 40
_ROBOTS_AGENT = USER_AGENT.split("/", 1)[0]
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")
_OFF = frozenset({"0", "false", "no", "off"})


@dataclass(slots=True)
class _Host:
    lock: asyncio.Lock
    next_request_at: float = 0.0
    robots: RobotFileParser | None = None


class ArticlePages:
    """Fetches and extracts article pages for headline records; see the module docstring."""

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        host_delay: float = HOST_DELAY,
        concurrency: int = CONCURRENT_PAGES,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self._fetcher = fetcher
        self._host_delay = host_delay
        self._slots = asyncio.Semaphore(concurrency)
        self._hosts: dict[str, _Host] = {}
        self._cache: LRUCache[str, ExtractedPage | None] = LRUCache(maxsize=cache_size)
        self.fetched = 0
        self.failed = 0

    async def page(self, url: str) -> ExtractedPage | None:
        """The article on ``url``, or None when it cannot be fetched, is refused or has no text."""
        if url in self._cache:
            return self._cache[url]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        origin = f"{parts.scheme}://{parts.netloc}"
        host = self._hosts.setdefault(origin, _Host(asyncio.Lock()))
        async with host.lock:
            if url in self._cache:
                return self._cache[url]
            if host.robots is None:
                host.robots = await self._robots(origin, host)
            page = None
            if host.robots.can_fetch(_ROBOTS_AGENT, url):
                page = await self._fetch_page(url, host)
            else:
                _LOGGER.info("robots.txt of %s disallows %s", origin, url)
        self._cache[url] = page
        return page

    async def complete(
        self, records: Iterable[Record], *, skip_urls: Iterable[str] = ()
    ) -> list[Record]:
        """``records`` with each linked headline replaced by its page's article when it has one.

        Headlines whose URL is in ``skip_urls`` (stored already) are left as they are.
        """
        known = set(skip_urls)
        items = list(records)

        async def completed(record: Record) -> Record:
            if not isinstance(record, HeadlineRecord) or not record.url or record.url in known:
                return record
            page = await self.page(record.url)
            return with_page(record, page) if page is not None else record

        return list(await asyncio.gather(*(completed(record) for record in items)))

    async def _wait_turn(self, host: _Host) -> None:
        delay = host.next_request_at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _get(self, url: str, host: _Host) -> tuple[bytes, str | None, str]:
        await self._wait_turn(host)
        try:
            async with self._slots:
                response = await self._fetcher.get(url)
        finally:
            host.next_request_at = time.monotonic() + self._host_delay
        return response.body, response.content_type, response.url

    async def _robots(self, origin: str, host: _Host) -> RobotFileParser:
        robots = RobotFileParser(f"{origin}/robots.txt")
        try:
            body, _, _ = await self._get(f"{origin}/robots.txt", host)
        except FetchError:
            # No robots.txt (404) or none reachable: nothing is disallowed.
            robots.parse([])
            return robots
        robots.parse(body.decode("utf-8", "replace").splitlines())
        return robots

    async def _fetch_page(self, url: str, host: _Host) -> ExtractedPage | None:
        try:
            body, content_type, final_url = await self._get(url, host)
        except FetchError as error:
            self.failed += 1
            _LOGGER.info("could not fetch the page of %s: %s", url, error)
            return None
        kind = (content_type or "").split(";")[0].strip().lower()
        if kind not in _HTML_TYPES:
            self.failed += 1
            return None
        try:
            page = await asyncio.to_thread(
                extract_page, body, url=final_url, content_type=content_type
            )
        except Exception:  # a page that breaks the extractor must not cost the feed its items
            _LOGGER.exception("could not extract the page %s", url)
            page = None
        if page is None or len(page.text.split()) < MIN_PAGE_WORDS:
            self.failed += 1
            return None
        self.fetched += 1
        return page


def fetch_pages_enabled(requested: bool, environ: Mapping[str, str]) -> bool:
    """Whether to fetch pages: not when the command line or NEWSBOT_FETCH_PAGES=0 says no."""
    return requested and environ.get("NEWSBOT_FETCH_PAGES", "1").strip().lower() not in _OFF


def with_page(record: HeadlineRecord, page: ExtractedPage) -> ArticleRecord:
    """A headline completed with its page's text; the feed's title and date come first."""
    return ArticleRecord(
        text=page.text,
        title=record.title,
        url=record.url,
        source=record.source,
        published_at=record.published_at or page.published_at,
        language=record.language,
        categories=record.categories,
    )
