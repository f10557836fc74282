"""Polling feeds: back-off, conditional requests, and one failing feed that stays its own."""

from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web

from feeds.addresses import AddressPolicy
from feeds.fetch import Fetcher
from feeds.polling import POLL_INTERVAL, backoff, poll_due_feeds
from storage import Store
from tests.local_server import LocalServer

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
BODY = " ".join(["Workers finished the new tram line through the old town centre."] * 12)
FEED = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Tram Times</title>
<item><title>Tram line finished</title><link>https://tram.example/1</link>
<description>{BODY}</description></item>
<item><title>Timetable out soon</title><link>https://tram.example/2</link></item>
</channel></rss>"""


def test_backoff_doubles_and_is_capped() -> None:
    assert backoff(1) == 2 * POLL_INTERVAL
    assert backoff(2) == 4 * POLL_INTERVAL
    assert backoff(50) == timedelta(hours=12)


@pytest.fixture
async def fetcher() -> Fetcher:
    return Fetcher(policy=AddressPolicy(allow_private=True), timeout=5)


async def test_polling_ingests_feeds_and_isolates_a_failing_one(
    store: Store, local_server: LocalServer, fetcher: Fetcher
) -> None:
    async def good(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"t1"':
            return web.Response(status=304)
        return web.Response(text=FEED, content_type="application/rss+xml", headers={"ETag": '"t1"'})

    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=500)

    local_server.routes["/good.xml"] = good
    local_server.routes["/broken.xml"] = broken
    await store.feeds.add(local_server.url("/broken.xml"))
    await store.feeds.add(local_server.url("/good.xml"), topic="Transport")
    async with fetcher:
        first = await poll_due_feeds(store, fetcher, NOW)
        assert (first.polled, first.failed, first.new_articles, first.new_headlines) == (2, 1, 1, 1)
        # The headline-only item is news of the feed's topic too, stored without a body.
        stored = await store.articles.latest(topics=["transport"])
        assert sorted((article.title, len(article.text) > 0) for article in stored) == [
            ("Timetable out soon", False),
            ("Tram line finished", True),
        ]
        broken_feed, good_feed = await store.feeds.all()
        assert broken_feed.failures == 1 and "HTTP 500" in (broken_feed.last_error or "")
        assert broken_feed.next_poll_at == NOW + backoff(1)
        assert good_feed.etag == '"t1"' and good_feed.title == "Tram Times"

        nothing_due = await poll_due_feeds(store, fetcher, NOW + timedelta(minutes=1))
        assert nothing_due.polled == 0

        later = await poll_due_feeds(store, fetcher, NOW + POLL_INTERVAL)
        assert (later.polled, later.not_modified, later.failed) == (1, 1, 0)

        again = await poll_due_feeds(store, fetcher, NOW + backoff(1))
        assert again.failed == 1
        assert (await store.feeds.all())[0].failures == 2
