"""Links and feeds chosen by a hostile reader or publisher, through the real bot and fetcher:
the reader learns nothing about the operator's network, and no local file is read."""

from __future__ import annotations

import gzip
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp import web

from bot.app import build_application
from bot.runner import serving
from feeds.fetch import DEFAULT_MAX_BYTES
from tests.bot.conftest import Conversation

OPERATOR = 999  # in the settings' admin_ids
SECRET_TITLE = "LOCAL FILE item the publisher must never see"


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[int]:
    """A local server: /rss answers with the path of a feed file on this machine, /bomb.html
    with a gzip body that is 6 MB once decompressed."""
    local = tmp_path / "private-feed.xml"
    local.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>LOCAL FILE</title>'
        f"<item><title>{SECRET_TITLE}</title><link>https://local.example/1</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )

    async def path_body(request: web.Request) -> web.Response:
        return web.Response(text=str(local), content_type="application/rss+xml")

    # 6 MB of article in 22 KB of gzip, served as the page itself (no Content-Encoding).
    paragraph = b"<p>The council voted to build a new bridge over the river on Tuesday.</p>"
    html = b"<html><body><article>" + paragraph * (DEFAULT_MAX_BYTES // len(paragraph) + 9000)
    bomb = gzip.compress(html + b"</article></body></html>", compresslevel=9)

    async def gzip_page(request: web.Request) -> web.Response:
        return web.Response(body=bomb, content_type="text/html")

    app = web.Application()
    app.router.add_get("/rss", path_body)
    app.router.add_get("/bomb.html", gzip_page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


async def test_a_link_to_an_internal_name_tells_the_reader_nothing_about_it(
    emu, settings, summary_executor, server, new_chat_id, caplog
):
    chat = Conversation(emu, new_chat_id)
    with caplog.at_level(logging.INFO, logger="bot.http_page_fetcher"):
        async with serving(build_application(settings, summary_executor=summary_executor)):
            internal = await chat.ask(f"/summary http://localhost:{server}/rss")
            metadata = await chat.ask("/summary http://169.254.169.254/latest/meta-data/")
    for reply in (internal, metadata):
        assert reply.text == (
            "Sorry, I can't open that link. Check the address: I only read public web sites."
        )
    # The operator's log has the detail.
    assert "localhost is a non-public address" in caplog.text
    assert "169.254.169.254 is a non-public address" in caplog.text


async def test_feed_add_never_reads_a_local_file_named_by_the_feed(
    emu, settings, summary_executor, server, new_chat_id
):
    allowed = replace(settings, fetch_allow_hosts=frozenset({"127.0.0.1"}))
    operator = Conversation(emu, OPERATOR, user_id=OPERATOR)
    async with serving(build_application(allowed, summary_executor=summary_executor)):
        added = await operator.ask(f"/feed add http://127.0.0.1:{server}/rss")
        latest = await Conversation(emu, new_chat_id).ask("/latest")
    assert "did not give me an RSS or Atom feed" in added.text
    assert "LOCAL FILE" not in added.text
    assert SECRET_TITLE not in latest.text


async def test_a_gzip_page_served_as_html_is_not_expanded_past_5_mb(
    emu, settings, summary_executor, server, new_chat_id
):
    allowed = replace(settings, fetch_allow_hosts=frozenset({"127.0.0.1"}))
    chat = Conversation(emu, new_chat_id)
    async with serving(build_application(allowed, summary_executor=summary_executor)):
        reply = await chat.ask(f"/summary http://127.0.0.1:{server}/bomb.html")
    # Inflated by us within the cap, so the reader learns why, instead of "no article text".
    assert reply.text == "That page is larger than 5 MB. Send a link to the article itself."
