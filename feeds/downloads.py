"""A URL as an ingest source: downloaded with the fetcher's limits, parsed by storage.ingest."""

from __future__ import annotations

from feeds.fetch import Fetcher
from storage.ingest.sources import Source, from_bytes


async def open_url(
    url: str, fetcher: Fetcher, *, fmt: str | None = None, source: str | None = None
) -> Source:
    """Download ``url`` and detect its format; raises FetchError or IngestError."""
    response = await fetcher.get(url)
    return from_bytes(
        response.body,
        name=url,
        fmt=fmt,
        url=response.url,
        content_type=response.content_type,
        source=source,
    )
