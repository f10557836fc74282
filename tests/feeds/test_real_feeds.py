"""Feeds as publishers serve them: headline-only items, their pages, encodings, dates, titles."""

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from feeds.addresses import AddressPolicy
from feeds.fetch import Fetcher
from feeds.headline_pages import ArticlePages
from feeds.polling import poll_due_feeds
from storage import Store
from storage.ingest.feeds import parse_feed
from storage.ingest.records import ArticleRecord
from storage.ingest.sources import open_file
from summaries.evaluation import token_f1
from tests.storage.news_site import FIXTURES, PAGES, NewsSite, known_text, serving

HN_STYLE = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>Tech Links</title>
<item><title>Apple and Nike brace for China's wrath after Huawei ban</title>
<link>https://links.test/1</link><description><![CDATA[<a href="https://links.test/c1">Comments</a>]]>
</description></item>
<item><title>Streamers are leaving in droves</title><link>https://links.test/2</link>
<description>Twitch changes how it pays its partners, and many lose money.</description></item>
</channel></rss>"""


def fetcher() -> Fetcher:
    return Fetcher(policy=AddressPolicy(allow_private=True), timeout=5)


async def test_headline_only_items_are_found_by_search_and_topics_by_title_and_teaser(
    store: Store,
) -> None:
    report = await store.articles.ingest(parse_feed(HN_STYLE, name="links.rss").records)
    assert (report.new_articles, report.new_headlines) == (0, 2)
    [hit] = await store.articles.search("huawei", limit=5)
    assert hit.article.title == "Apple and Nike brace for China's wrath after Huawei ban"
    assert hit.article.text == ""  # "Comments" is a link label, not a teaser
    [by_teaser] = await store.articles.search("Twitch", limit=5)
    assert by_teaser.article.title == "Streamers are leaving in droves"
    digests = store.digests
    since = datetime.now(UTC) - timedelta(hours=24)
    assert [m.article_id for m in await digests.topic_matches("huawei", since=since)] == [
        hit.article.id
    ]


async def test_a_headline_feed_becomes_full_articles_from_its_pages(store: Store) -> None:
    with serving() as site:
        await store.feeds.add(site.url("/headlines.rss"))
        async with fetcher() as client:
            pages = ArticlePages(client, host_delay=0.01)
            report = await poll_due_feeds(store, client, pages=pages)
    assert (report.failed, report.new_articles, report.new_headlines) == (0, 3, 0)
    stored = {article.url: article for article in await store.articles.latest(limit=10)}
    for page in PAGES:
        article = stored[site.url(f"/pages/{page}.html")]
        assert token_f1(article.text, known_text(page)) >= 0.9, page
        assert article.published_at is not None and article.source == "Local Wire"
    titles = {article.title for article in stored.values()}
    assert "Chipmaker to build $4 billion plant in Dresden" in titles  # no "UPDATE 2-"
    bridge = stored[site.url("/pages/harbour-bridge.html")].text
    assert "Photograph:" not in bridge and "cookies" not in bridge and "Share on" not in bridge


async def test_pages_are_fetched_politely_and_once(store: Store) -> None:
    with serving(NewsSite(latency=0.05)) as site:
        await store.feeds.add(site.url("/headlines.rss"))
        async with fetcher() as client:
            pages = ArticlePages(client, host_delay=0.02)
            await poll_due_feeds(store, client, pages=pages)
            # The next poll finds the same items stored: no page is fetched again.
            await poll_due_feeds(store, client, datetime.now(UTC) + timedelta(hours=1), pages=pages)
            records = parse_feed(site.feed(), name="again").records
            await pages.complete(records)  # and the cache answers without asking the site
    assert site.peak_in_flight == 1  # one host: one request at a time
    assert all(site.hits[f"/pages/{page}.html"] == 1 for page in PAGES)
    assert site.hits["/robots.txt"] == 1
    assert all(agent.startswith("newsbot/") for agent in site.user_agents)


async def test_robots_txt_is_obeyed(store: Store) -> None:
    with serving(NewsSite(robots="User-agent: *\nDisallow: /pages/\n")) as site:
        await store.feeds.add(site.url("/headlines.rss"))
        async with fetcher() as client:
            report = await poll_due_feeds(store, client, pages=ArticlePages(client))
    assert (report.new_articles, report.new_headlines) == (0, 3)
    assert not any(path.startswith("/pages/") for path in site.hits)


async def test_pages_that_cannot_be_fetched_leave_the_headlines(store: Store) -> None:
    with serving(NewsSite(pages_fail=True)) as site:
        await store.feeds.add(site.url("/headlines.rss"))
        async with fetcher() as client:
            report = await poll_due_feeds(
                store, client, pages=ArticlePages(client, host_delay=0.01)
            )
    assert (report.failed, report.new_articles, report.new_headlines) == (0, 0, 3)
    stored = await store.articles.latest(limit=10)
    assert len(stored) == 3
    assert all(article.title and article.url and article.text == "" for article in stored)


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("latin1.rss", "Zürich: Bäckerei öffnet wieder, Grüße aus Köln"),
        ("cp1251.rss", "В Одессе открыли новый морской вокзал"),
        ("koi8r.rss", "Ледокол вышел в первый рейс по Северному морскому пути"),
    ],
)
async def test_legacy_encodings_declared_in_the_prolog_are_read(
    store: Store, name: str, title: str
) -> None:
    await store.articles.ingest(open_file(FIXTURES / name).records)
    [article] = await store.articles.latest()
    assert article.title == title
    assert article.text.endswith(".")


async def test_the_poller_reads_a_legacy_feed_by_its_http_charset(store: Store) -> None:
    body = (FIXTURES / "cp1251.rss").read_bytes().replace(b' encoding="windows-1251"', b"")
    with serving() as site:
        site.answer = lambda path: (200, "application/rss+xml; charset=windows-1251", body)  # type: ignore[method-assign]
        await store.feeds.add(site.url("/feed"))
        async with fetcher() as client:
            await poll_due_feeds(store, client)
    [article] = await store.articles.latest()
    assert article.title == "В Одессе открыли новый морской вокзал"


async def test_a_truncated_utf8_feed_keeps_its_titles_and_counts_the_bad_bytes(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="storage.ingest.encoding"):
        await store.articles.ingest(open_file(FIXTURES / "truncated-utf8.rss").records)
    titles = sorted(article.title for article in await store.articles.latest())
    assert titles == ["امریکی صدر کا دورہ", "کرکٹ ٹیم کی جیت"]
    assert "1 undecodable byte sequences replaced" in caplog.text


async def test_every_item_has_a_published_time_and_old_ones_are_not_new(
    store: Store, tmp_path: Path
) -> None:
    undated = tmp_path / "undated.rss"
    undated.write_bytes(HN_STYLE)
    now = datetime.now(UTC).replace(microsecond=0)
    await store.articles.ingest(open_file(undated).records, now=now)
    await store.articles.ingest(open_file(FIXTURES / "old-items.rss").records, now=now)
    stored = {article.title: article for article in await store.articles.latest(limit=10)}
    assert stored["Streamers are leaving in droves"].published_at == now  # first seen
    old = stored["Harbour council approves bridge repair plan"]
    assert old.published_at == datetime(2015, 11, 3, 10, tzinfo=UTC)
    digests = store.digests
    since = now - timedelta(hours=24)
    assert await digests.topic_matches("harbour bridge", since=since) == []


async def test_a_story_with_a_body_ranks_above_a_bare_headline_on_the_same_topic(
    store: Store,
) -> None:
    body = " ".join(["Huawei said on Monday its new phone would go on sale in Europe."] * 10)
    await store.articles.ingest(parse_feed(HN_STYLE, name="links.rss").records)
    await store.articles.ingest(
        [ArticleRecord(text=body, title="Huawei phone", url="https://p.test/1")]
    )
    digests = store.digests
    matches = await digests.topic_matches("huawei", since=datetime.now(UTC) - timedelta(hours=1))
    stored = {a.id: a for a in await store.articles.latest(limit=10)}
    assert [stored[m.article_id].title for m in matches] == [
        "Huawei phone",
        "Apple and Nike brace for China's wrath after Huawei ban",
    ]


async def test_page_fetching_can_be_turned_off_for_one_feed(store: Store) -> None:
    with serving() as site:
        feed, _ = await store.feeds.add(site.url("/headlines.rss"))
        changed = await store.feeds.set_fetch_pages(str(feed.id), False)
        assert changed is not None and not changed.fetch_pages
        async with fetcher() as client:
            report = await poll_due_feeds(store, client, pages=ArticlePages(client))
    assert (report.new_articles, report.new_headlines) == (0, 3)
    assert not any(path.startswith("/pages/") for path in site.hits)
