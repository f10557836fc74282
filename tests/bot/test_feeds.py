"""NEWSBOT_FEEDS are added at start and polled on the job queue; new stories reach /latest.
/feed add reads a feed as the poller does."""

from dataclasses import replace

import pytest
from aiohttp import web

from bot.app import build_application
from bot.runner import serving
from bot.settings import Settings
from tests.bot.conftest import Conversation
from tests.local_server import LocalServer
from tests.storage.news_site import FIXTURES

OPERATOR = 999  # in the bot_app settings' admin_ids

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour Gazette</title><link>http://harbour.test/</link>
<description>Local news</description>
<item><title>Lighthouse keeper retires after forty years</title>
<link>http://harbour.test/lighthouse</link><pubDate>Tue, 24 Nov 2026 06:00:00 GMT</pubDate>
</item></channel></rss>"""


@pytest.fixture
def feed_url(local_server: LocalServer) -> str:
    async def feed(request: web.Request) -> web.Response:
        return web.Response(text=FEED, content_type="application/rss+xml")

    local_server.routes["/rss"] = feed
    return local_server.url("/rss")


async def test_configured_feeds_are_polled_into_the_news(
    emu, settings, summary_executor, feed_url, new_chat_id
):
    configured = replace(settings, feeds=(feed_url,), fetch_allow_hosts=frozenset({"127.0.0.1"}))
    application = build_application(configured, summary_executor=summary_executor)
    async with serving(application):
        assert [feed.url for feed in await application.bot_data.services.store.feeds.all()] == [
            feed_url
        ]
        [job] = application.job_queue.get_jobs_by_name("feeds")
        await job.run(application)  # the tick, now rather than in a second
        reply = await Conversation(emu, new_chat_id).ask("/latest lighthouse")
    assert "Lighthouse keeper retires after forty years" in reply.text


@pytest.fixture
def legacy_feed_url(local_server: LocalServer) -> str:
    """A Russian feed in windows-1251 that says so only in its HTTP header, as some servers do."""
    body = (FIXTURES / "cp1251.rss").read_bytes().replace(b' encoding="windows-1251"', b"")

    async def feed(request: web.Request) -> web.Response:
        return web.Response(
            body=body, headers={"Content-Type": "application/rss+xml; charset=windows-1251"}
        )

    local_server.routes["/rss"] = feed
    return local_server.url("/rss")


@pytest.fixture
def local_fetch_settings(settings: Settings) -> Settings:
    return replace(settings, fetch_allow_hosts=frozenset({"127.0.0.1"}))


async def test_feed_add_reads_a_legacy_feed_by_its_http_charset_as_polling_does(
    emu, local_fetch_settings, summary_executor, legacy_feed_url
):
    application = build_application(local_fetch_settings, summary_executor=summary_executor)
    async with serving(application):
        operator = Conversation(emu, OPERATOR, user_id=OPERATOR)
        added = await operator.ask(f"/feed add {legacy_feed_url}")
        assert "Added feed" in added.text
        [article] = await application.bot_data.services.store.articles.latest()
    assert article.title == "В Одессе открыли новый морской вокзал"
