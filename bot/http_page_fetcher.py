"""The page fetcher used in production: the safe fetcher of feeds/ behind :class:`PageFetcher`.

feeds.fetch enforces the limits (time, size, redirects) and refuses loopback, private,
link-local and metadata addresses after every redirect; hosts in NEWSBOT_FETCH_ALLOW_HOSTS are
let through on purpose (a local test server, an intranet).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from bot.fetch_errors import reader_fetch_error
from bot.page_fetcher import FetchedPage
from feeds import AddressPolicy, Fetcher, UnsafeAddressError
from feeds import FetchError as NetworkFetchError
from feeds.article import fetch_article

__all__ = ["HttpPageFetcher", "make_http_client"]

_LOGGER = logging.getLogger(__name__)


def make_http_client(allow_hosts: Iterable[str] = ()) -> Fetcher:
    """One pooled HTTP client with newsbot's limits, for pages and feeds alike."""
    return Fetcher(policy=AddressPolicy(allowed_hosts=allow_hosts))


class HttpPageFetcher:
    """Fetches and extracts pages through ``feeds.article.fetch_article`` on a shared client."""

    def __init__(self, client: Fetcher) -> None:
        self._client = client

    async def fetch(self, url: str) -> FetchedPage:
        """Fetch and extract a page, or raise FetchError with a message for the reader."""
        try:
            page = await fetch_article(url, fetcher=self._client)
        except UnsafeAddressError as error:
            # Which names exist inside the operator's network, and at which addresses, is not
            # for readers (bot.fetch_errors words them alike); the operator's log has the host
            # and address (the cause), without the rest of the reader's link.
            _LOGGER.info(
                "Refused a link to %s: %s", urlsplit(url).hostname, error.__cause__ or error
            )
            raise reader_fetch_error(error) from error
        except NetworkFetchError as error:
            raise reader_fetch_error(error) from error
        return FetchedPage(
            url=page.url, title=page.title, text=page.text, published_at=page.published_at
        )

    async def close(self) -> None:
        """Nothing of its own to release; the client's owner closes it."""
