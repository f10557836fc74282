"""Feeds that hang, trickle, redirect in loops, send 10 MB, gzip bombs or undecodable bytes:
each is marked failing within a bounded time, and a good feed polled alongside still works."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from aiohttp import web

from feeds.addresses import AddressPolicy
from feeds.fetch import Fetcher
from feeds.polling import poll_due_feeds
from storage import Store
from tests.local_server import LocalServer

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
TIMEOUT = 1.0
GOOD = """<?xml version="1.0"?><rss version="2.0"><channel><title>Good</title>
<item><title>Ferry timetable changes</title><link>https://good.example/1</link></item>
</channel></rss>"""
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def hang(request: web.Request) -> web.StreamResponse:
    await asyncio.Event().wait()  # never answers; cancelled when the client gives up
    raise AssertionError("unreachable")


async def trickle(request: web.Request) -> web.StreamResponse:
    """A byte every half second: each read is quick, the whole body never ends."""
    response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
    await response.prepare(request)
    while True:
        await response.write(b" ")
        await asyncio.sleep(TIMEOUT / 2)


async def loop(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/loop.xml")


async def huge(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
    await response.prepare(request)
    chunk = b"<rss>" + b"x" * (1024 * 1024)
    for _ in range(10):
        await response.write(chunk)
    return response


# 20 MB of zeros in about 20 KB: decompressed, it is twenty times the 1 MB limit.
BOMB = gzip.compress(b"<rss>" + b"\0" * (20 * 1024 * 1024), compresslevel=9)


async def bomb(request: web.Request) -> web.StreamResponse:
    return web.Response(
        body=BOMB, headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}
    )


async def garbage(request: web.Request) -> web.StreamResponse:
    return web.Response(
        body=b'<?xml version="1.0" encoding="\x80"?>\xff\xfe<rss>\x00\x81',
        headers={"Content-Type": "application/rss+xml; charset=nonsense"},
    )


async def good(request: web.Request) -> web.StreamResponse:
    return web.Response(text=GOOD, content_type="application/rss+xml")


HOSTILE: dict[str, Handler] = {
    "/hang.xml": hang,
    "/trickle.xml": trickle,
    "/loop.xml": loop,
    "/huge.xml": huge,
    "/bomb.xml": bomb,
    "/garbage.xml": garbage,
}


async def test_hostile_feeds_fail_in_bounded_time_and_a_good_one_is_still_read(
    store: Store, local_server: LocalServer
) -> None:
    local_server.routes.update(HOSTILE)
    local_server.routes["/good.xml"] = good
    for path in HOSTILE:
        await store.feeds.add(local_server.url(path))
    await store.feeds.add(local_server.url("/good.xml"))
    fetcher = Fetcher(
        policy=AddressPolicy(allow_private=True), timeout=TIMEOUT, max_bytes=1024 * 1024
    )

    started = time.monotonic()
    async with fetcher:
        report = await asyncio.wait_for(poll_due_feeds(store, fetcher, NOW), timeout=30)
    elapsed = time.monotonic() - started

    assert (report.polled, report.failed, report.new_headlines) == (7, 6, 1)
    by_url = {feed.url: feed for feed in await store.feeds.all()}
    for path in HOSTILE:
        feed = by_url[local_server.url(path)]
        assert feed.failures == 1, path
        assert feed.last_error, path
    assert by_url[local_server.url("/good.xml")].failures == 0
    # Four feeds are polled at a time, so the slowest can cost a few timeouts, never more.
    assert elapsed < 6 * TIMEOUT + 5, f"polling took {elapsed:.1f} s"
