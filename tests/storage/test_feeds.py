"""Feeds: the list, OPML and NEWSBOT_FEEDS (polling them is tests/feeds/test_polling.py)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from storage import StorageError, Store
from storage.feeds import FeedEntry, export_opml, parse_opml
from storage.ingest.feeds import parse_feed
from storage.ingest.records import Record

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
BODY = " ".join(["Workers finished the new tram line through the old town centre."] * 12)
FEED = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Tram Times</title>
<item><title>Tram line finished</title><link>https://tram.example/1</link>
<description>{BODY}</description></item>
<item><title>Timetable out soon</title><link>https://tram.example/2</link></item>
</channel></rss>"""


async def test_feeds_are_added_listed_and_removed(store: Store) -> None:
    feed, created = await store.feeds.add("https://a.example/rss", topic="Trams")
    assert created and feed.topic == "trams"
    assert not (await store.feeds.add("https://a.example/rss"))[1]
    await store.feeds.add("https://b.example/atom")
    assert [f.url for f in await store.feeds.all()] == [
        "https://a.example/rss",
        "https://b.example/atom",
    ]
    removed = await store.feeds.remove(str(feed.id))
    assert removed is not None and removed.url == "https://a.example/rss"
    assert await store.feeds.remove("https://a.example/rss") is None
    assert [f.url for f in await store.feeds.all()] == ["https://b.example/atom"]


async def test_a_fetched_feed_is_added_with_its_stories_and_poll_state_at_once(
    store: Store,
) -> None:
    parsed = parse_feed(FEED.encode(), name="tram")
    feed, report = await store.feeds.add_fetched(
        "https://tram.example/rss",
        title=parsed.title,
        records=parsed.records,
        etag='"v1"',
        last_modified=None,
        next_poll_at=NOW + timedelta(minutes=30),
    )
    assert (report.new_articles, report.new_headlines) == (1, 1)
    [stored] = await store.feeds.all()
    assert (stored.id, stored.title, stored.etag) == (feed.id, "Tram Times", '"v1"')
    assert await store.feeds.due(NOW) == []  # the fetch counts as the first poll


async def test_a_fetched_feed_whose_stories_fail_is_not_added_at_all(store: Store) -> None:
    def records_then_a_failure() -> Iterator[Record]:
        yield from parse_feed(FEED.encode(), name="tram").records
        raise StorageError("the stories could not be read to the end")

    with pytest.raises(StorageError, match="to the end"):
        await store.feeds.add_fetched(
            "https://tram.example/rss",
            title="Tram Times",
            records=records_then_a_failure(),
            etag=None,
            last_modified=None,
            next_poll_at=NOW + timedelta(minutes=30),
        )
    assert await store.feeds.all() == []
    assert await store.articles.latest_headlines() == []


async def test_a_feed_url_must_be_http(store: Store) -> None:
    with pytest.raises(StorageError, match="not an http"):
        await store.feeds.add("ftp://x.example/feed")


async def test_adding_known_feeds_again_adds_nothing(store: Store) -> None:
    entries = [FeedEntry("https://a.example/rss"), FeedEntry("https://b.example/rss")]
    assert len(await store.feeds.add_many(entries)) == 2
    assert await store.feeds.add_many(entries) == []


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
    await store.feeds.add("https://a.example/rss?x=1&y=2", topic="trams & buses")
    exported = export_opml(await store.feeds.all())
    assert parse_opml(exported.encode()) == [
        FeedEntry("https://a.example/rss?x=1&y=2", "https://a.example/rss?x=1&y=2", "trams & buses")
    ]


def test_bad_opml_is_a_clear_error() -> None:
    with pytest.raises(StorageError, match="not valid OPML"):
        parse_opml(b"<opml><body>", name="feeds.opml")
