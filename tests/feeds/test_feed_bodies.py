"""A feed body is a document, never a file name: a publisher cannot make us read local files.

feedparser, given bytes, first tries them as a file name; a feed server answering with the
body ``/srv/secret/feed.xml`` (or ``/dev/zero``) made newsbot read that file from local disk.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web

from feeds.addresses import AddressPolicy
from feeds.fetch import Fetcher
from feeds.polling import poll_due_feeds
from storage import IngestError, Store
from storage.ingest.feeds import parse_feed
from tests.local_server import LocalServer

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
SECRET_TITLE = "LOCAL FILE item the publisher must never see"


@pytest.fixture
def local_feed_file(tmp_path: Path) -> Path:
    path = tmp_path / "private" / "feed.xml"
    path.parent.mkdir()
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>LOCAL FILE</title>'
        f"<item><title>{SECRET_TITLE}</title><link>https://local.example/1</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    return path


def test_a_body_naming_a_local_file_is_not_a_feed(local_feed_file: Path) -> None:
    with pytest.raises(IngestError, match="not an RSS or Atom feed"):
        parse_feed(str(local_feed_file).encode(), name="https://hostile.example/rss")


async def test_polling_a_feed_whose_body_names_a_local_file_stores_nothing_of_it(
    store: Store, local_server: LocalServer, local_feed_file: Path
) -> None:
    async def path_body(request: web.Request) -> web.Response:
        return web.Response(text=str(local_feed_file), content_type="application/rss+xml")

    local_server.routes["/rss"] = path_body
    await store.feeds.add(local_server.url("/rss"))
    async with Fetcher(policy=AddressPolicy(allow_private=True), timeout=5) as fetcher:
        report = await asyncio.wait_for(poll_due_feeds(store, fetcher, NOW), timeout=30)

    assert (report.failed, report.new_headlines, report.new_articles) == (1, 0, 0)
    assert "not an RSS or Atom feed" in report.errors[0]
    assert await store.articles.latest_headlines(limit=5) == []
