"""Fetching one web page and extracting its article, for ``newsbot ingest URL`` and the bot."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from feeds.addresses import AddressPolicy
from feeds.errors import FetchError, FetchErrorCode, decompression_as_fetch_errors
from feeds.fetch import Fetcher
from storage.ingest.compression import MAX_DECODED_BYTES
from storage.ingest.page import extract_page

_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class FetchedArticle:
    """The readable part of a web page."""

    url: str
    title: str | None
    text: str
    published_at: datetime | None
    site: str | None


async def fetch_article(
    url: str, *, allow_private: bool = False, fetcher: Fetcher | None = None
) -> FetchedArticle:
    """Download ``url`` and extract title, text and date; raises FetchError.

    Addresses that are not public (loopback, private, link-local, cloud metadata) are refused
    unless ``allow_private``. Pass a long-lived ``fetcher`` to reuse its connections.
    """
    own = fetcher is None
    client = fetcher or Fetcher(policy=AddressPolicy(allow_private=allow_private))
    try:
        response = await client.get(url)
    finally:
        if own:
            await client.close()
    kind = (response.content_type or "text/html").split(";")[0].strip().lower()
    if kind not in _HTML_TYPES:
        raise FetchError(
            FetchErrorCode.NOT_A_PAGE, f"{url} is not a web page ({kind})", content_type=kind
        )
    # A gzip file served as text/html is inflated there, within the download limit too.
    with decompression_as_fetch_errors(MAX_DECODED_BYTES):
        page = await asyncio.to_thread(extract_page, response.body, url=response.url)
    if page is None or not page.text.strip():
        raise FetchError(FetchErrorCode.NO_ARTICLE_TEXT, f"no article text found at {url}")
    return FetchedArticle(response.url, page.title, page.text, page.published_at, page.site)
