"""Feeds: the list, OPML, NEWSBOT_FEEDS, and polling with back-off and conditional requests."""

from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web

from storage import StorageError, Store
from storage.addresses import AddressPolicy
from storage.feeds import FeedEntry, export_opml, parse_opml
from storage.fetch import Fetcher
from storage.polling import POLL_INTERVAL, backoff, poll_due_feeds

from .conftest import LocalServer

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
BODY = " ".join(["Workers finished the new tram line through the old town centre."] * 12)
FEED = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Tram Times</title>
<item><title>Tram line finished</title><link>https://tram.example/1</link>
<description>{BODY}</description></item>
<item><title>Timetable out soon</title><link>https://tram.example/2</link></item>
</channel></rss>"""


async def test_feeds_are_added_listed_and_removed(store: Store) -> None:
    feed, created = await store.add_feed("https://a.example/rss", topic="Trams")
    assert created and feed.topic == "trams"
    assert not (await store.add_feed("https://a.example/rss"))[1]
    await store.add_feed("https://b.example/atom")
    assert [f.url for f in await store.list_feeds()] == [
        "https://a.example/rss",
        "https://b.example/atom",
    ]
    removed = await store.remove_feed(str(feed.id))
    assert removed is not None and removed.url == "https://a.example/rss"
    assert await store.remove_feed("https://a.example/rss") is None
    assert [f.url for f in await store.list_feeds()] == ["https://b.example/atom"]


async def test_a_feed_url_must_be_http(store: Store) -> None:
    with pytest.raises(StorageError, match="not an http"):
        await store.add_feed("ftp://x.example/feed")


async def test_adding_known_feeds_again_adds_nothing(store: Store) -> None:
    entries = [FeedEntry("https://a.example/rss"), FeedEntry("https://b.example/rss")]
    assert len(await store.add_feeds(entries)) == 2
    assert await store.add_feeds(entries) == []


def test_opml_round_trips_with_topics() -> None:
    opml = b"""<?xml version="1.0"?><opml version="2.0"><head/><body>
    <outline text="Science"><outline type="rss" text="Space" xmlUrl="https://s.example/rss"/>
    </outline><outline type="rss" text="Top" xmlUrl="https://t.example/rss"/></body></opml>"""
    entries = parse_opml(opml)
    assert entries == [
        FeedEntry("https://s.example/rss", "Space", "Science"),
        FeedEntry("https://t.example/rss", "Top", None),
    ]


async def test_exported_opml_imports_again(store: Store) -> None:
    await store.add_feed("https://a.example/rss?x=1&y=2", topic="trams & buses")
    exported = export_opml(await store.list_feeds())
    assert parse_opml(exported.encode()) == [
        FeedEntry("https://a.example/rss?x=1&y=2", "https://a.example/rss?x=1&y=2", "trams & buses")
    ]


def test_bad_opml_is_a_clear_error() -> None:
    with pytest.raises(StorageError, match="not valid OPML"):
        parse_opml(b"<opml><body>", name="feeds.opml")


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
    await store.add_feed(local_server.url("/broken.xml"))
    await store.add_feed(local_server.url("/good.xml"), topic="Transport")
    async with fetcher:
        first = await poll_due_feeds(store, fetcher, NOW)
        assert (first.polled, first.failed, first.new_articles, first.new_headlines) == (2, 1, 1, 1)
        # The headline-only item is news of the feed's topic too, stored without a body.
        stored = await store.latest_articles(topics=["transport"])
        assert sorted((article.title, len(article.text) > 0) for article in stored) == [
            ("Timetable out soon", False),
            ("Tram line finished", True),
        ]
        broken_feed, good_feed = await store.list_feeds()
        assert broken_feed.failures == 1 and "HTTP 500" in (broken_feed.last_error or "")
        assert broken_feed.next_poll_at == NOW + backoff(1)
        assert good_feed.etag == '"t1"' and good_feed.title == "Tram Times"

        nothing_due = await poll_due_feeds(store, fetcher, NOW + timedelta(minutes=1))
        assert nothing_due.polled == 0

        later = await poll_due_feeds(store, fetcher, NOW + POLL_INTERVAL)
        assert (later.polled, later.not_modified, later.failed) == (1, 1, 0)

        again = await poll_due_feeds(store, fetcher, NOW + backoff(1))
        assert again.failed == 1
        assert (await store.list_feeds())[0].failures == 2
