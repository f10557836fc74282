"""NEWSBOT_FEEDS are added at start and polled on the job queue; new stories reach /latest."""

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from aiohttp import web

from bot.app import build_application
from bot.runner import serving
from tests.bot.conftest import Conversation

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour Gazette</title><link>http://harbour.test/</link>
<description>Local news</description>
<item><title>Lighthouse keeper retires after forty years</title>
<link>http://harbour.test/lighthouse</link><pubDate>Tue, 24 Nov 2026 06:00:00 GMT</pubDate>
</item></channel></rss>"""


@pytest.fixture
async def feed_url() -> AsyncIterator[str]:
    async def feed(request: web.Request) -> web.Response:
        return web.Response(text=FEED, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/rss", feed)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/rss"
    finally:
        await runner.cleanup()


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
