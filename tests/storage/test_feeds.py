"""Feeds: the list, OPML and NEWSBOT_FEEDS (polling them is tests/feeds/test_polling.py)."""

import pytest

from storage import StorageError, Store
from storage.feeds import FeedEntry, export_opml, parse_opml


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


async def test_newsbot_feeds_are_added_at_start(store: Store) -> None:
    environ = {"NEWSBOT_FEEDS": " https://a.example/rss, https://b.example/rss ,,"}
    assert len(await store.add_feeds_from_environment(environ)) == 2
    assert await store.add_feeds_from_environment(environ) == []


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
