"""The fetcher: address policy, size limits, gzip bombs, conditional requests, timeouts."""

import asyncio
import gzip

import pytest
from aiohttp import web

from feeds import FetchError, ResponseTooLargeError, UnsafeAddressError
from feeds.addresses import AddressPolicy
from feeds.article import fetch_article
from feeds.fetch import Fetcher
from tests.local_server import LocalServer

PAGE = (
    "<html><head><title>Bridge vote</title>"
    '<meta property="article:published_time" content="2024-05-01T10:00:00Z"></head>'
    "<body><article><h1>Council backs new bridge</h1>"
    + "<p>The council voted to build a new bridge over the river on Tuesday evening.</p>" * 8
    + "</article></body></html>"
)


def allowing_local(**limits: float) -> Fetcher:
    return Fetcher(policy=AddressPolicy(allow_private=True), **limits)  # type: ignore[arg-type]


async def test_loopback_and_private_addresses_are_refused_by_default(
    local_server: LocalServer,
) -> None:
    async with Fetcher() as fetcher:
        for url in (
            local_server.url("/"),
            "http://10.0.0.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/",
            "file:///etc/passwd",
        ):
            with pytest.raises(UnsafeAddressError):
                await fetcher.get(url)


async def test_an_allow_listed_host_may_be_fetched(local_server: LocalServer) -> None:
    local_server.routes["/ok"] = lambda request: _text("fine")
    async with Fetcher(policy=AddressPolicy(allowed_hosts=["127.0.0.1"])) as fetcher:
        assert (await fetcher.get(local_server.url("/ok"))).body == b"fine"


async def _text(body: str, **headers: str) -> web.Response:
    return web.Response(text=body, headers=headers)


async def test_a_redirect_to_a_refused_address_is_refused(local_server: LocalServer) -> None:
    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound("http://10.1.2.3/secret")

    local_server.routes["/hop"] = redirect
    async with Fetcher(policy=AddressPolicy(allowed_hosts=["127.0.0.1"])) as fetcher:
        with pytest.raises(UnsafeAddressError, match=r"10\.1\.2\.3"):
            await fetcher.get(local_server.url("/hop"))


async def test_a_body_over_the_limit_is_aborted(local_server: LocalServer) -> None:
    async def big(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(64):
            await response.write(b"x" * 16384)
        return response

    local_server.routes["/big"] = big
    async with allowing_local(max_bytes=100_000) as fetcher:
        with pytest.raises(ResponseTooLargeError):
            await fetcher.get(local_server.url("/big"))


async def test_a_gzip_bomb_is_stopped_at_the_limit(local_server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)
    assert len(bomb) < 100_000

    async def serve(request: web.Request) -> web.Response:
        return web.Response(body=bomb, headers={"Content-Encoding": "gzip"})

    local_server.routes["/bomb"] = serve
    async with allowing_local(max_bytes=1_000_000) as fetcher:
        with pytest.raises(ResponseTooLargeError):
            await fetcher.get(local_server.url("/bomb"))


async def test_a_gzip_body_is_decompressed(local_server: LocalServer) -> None:
    async def serve(request: web.Request) -> web.Response:
        return web.Response(body=gzip.compress(b"hello"), headers={"Content-Encoding": "gzip"})

    local_server.routes["/small"] = serve
    async with allowing_local() as fetcher:
        assert (await fetcher.get(local_server.url("/small"))).body == b"hello"


async def test_conditional_requests_get_not_modified(local_server: LocalServer) -> None:
    async def serve(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(text="feed", headers={"ETag": '"v1"'})

    local_server.routes["/feed"] = serve
    async with allowing_local() as fetcher:
        first = await fetcher.get(local_server.url("/feed"))
        again = await fetcher.get(local_server.url("/feed"), etag=first.etag)
    assert (first.status, first.etag, first.not_modified) == (200, '"v1"', False)
    assert again.not_modified


async def test_a_slow_server_times_out(local_server: LocalServer) -> None:
    never = asyncio.Event()

    async def hang(request: web.Request) -> web.Response:
        await never.wait()
        return web.Response()

    local_server.routes["/slow"] = hang
    async with allowing_local(timeout=0.2) as fetcher:
        with pytest.raises(FetchError, match="timed out"):
            await fetcher.get(local_server.url("/slow"))


async def test_an_error_status_is_a_fetch_error(local_server: LocalServer) -> None:
    async with allowing_local() as fetcher:
        with pytest.raises(FetchError, match="HTTP 404"):
            await fetcher.get(local_server.url("/missing"))


async def test_fetch_article_extracts_title_text_and_date(local_server: LocalServer) -> None:
    async def serve(request: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html")

    local_server.routes["/article"] = serve
    article = await fetch_article(local_server.url("/article"), allow_private=True)
    assert article.title == "Council backs new bridge"
    assert "voted to build a new bridge" in article.text
    assert article.published_at is not None
    assert article.published_at.date().isoformat() == "2024-05-01"


async def test_fetch_article_refuses_local_pages_by_default(local_server: LocalServer) -> None:
    with pytest.raises(UnsafeAddressError):
        await fetch_article(local_server.url("/article"))
