"""/summary URL through the real fetcher: a local page server, the allow-list, the refusals."""

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from aiohttp import web

from bot.app import build_application
from bot.runner import serving
from tests.bot.conftest import Conversation

ARTICLE = """<!doctype html><html><head><title>Harbour reopens after storm | Coast News</title>
<meta property="og:title" content="Harbour reopens after storm"></head><body><article>
<h1>Harbour reopens after storm</h1>
<p>The harbour reopened on Monday morning after three days of closure caused by the storm.</p>
<p>Ferries resumed their normal timetable, although two evening crossings were cancelled.</p>
<p>Port officials said the damage to the northern pier was less serious than first feared.</p>
<p>Repairs are expected to take two weeks and will cost about one million euros.</p>
<p>Fishermen said the closure had cost them a week of income before the winter season.</p>
<p>The regional government promised a compensation scheme for affected businesses.</p>
</article></body></html>"""


@pytest.fixture
async def page_server() -> AsyncIterator[str]:
    """A local web server with one article and one binary file; yields its root URL."""

    async def article(request: web.Request) -> web.Response:
        return web.Response(text=ARTICLE, content_type="text/html")

    async def binary(request: web.Request) -> web.Response:
        return web.Response(body=b"\x00" * 100, content_type="application/octet-stream")

    app = web.Application()
    app.router.add_get("/harbour", article)
    app.router.add_get("/file.bin", binary)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_a_page_on_an_allowed_host_is_fetched_and_summarised(
    emu, settings, summary_executor, page_server, new_chat_id
):
    allowed = replace(settings, fetch_allow_hosts=frozenset({"127.0.0.1"}))
    chat = Conversation(emu, new_chat_id)
    async with serving(build_application(allowed, summary_executor=summary_executor)):
        reply = await chat.ask(f"/summary {page_server}/harbour")
        not_a_page = await chat.ask(f"/summary {page_server}/file.bin")
    assert reply.text.startswith("Harbour reopens after storm")
    assert "harbour" in reply.text.split("\n\n")[1].lower()
    assert not_a_page.text == (
        "That link is not a web page but application/octet-stream. Send a link to an article."
    )


async def test_private_addresses_are_refused_without_the_allow_list(
    emu, settings, summary_executor, page_server, new_chat_id
):
    chat = Conversation(emu, new_chat_id)
    async with serving(build_application(settings, summary_executor=summary_executor)):
        reply = await chat.ask(f"/summary {page_server}/harbour")
        metadata = await chat.ask("/summary http://169.254.169.254/latest/meta-data/")
    assert (
        reply.text
        == metadata.text
        == ("Sorry, I can't open that link. Check the address: I only read public web sites.")
    )
