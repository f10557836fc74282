"""No body grows past the 5 MB download limit once decoded, whatever its headers say."""

from __future__ import annotations

import gzip

import pytest
from aiohttp import web

from feeds import FetchError
from feeds.addresses import AddressPolicy
from feeds.article import fetch_article
from feeds.fetch import DEFAULT_MAX_BYTES, Fetcher
from tests.local_server import LocalServer

PARAGRAPH = "<p>The council voted to build a new bridge over the river on Tuesday evening.</p>"


def page(size: int) -> bytes:
    paragraphs = PARAGRAPH * (size // len(PARAGRAPH) + 1)
    head = "<html><head><title>Bridge</title></head>"
    return f"{head}<body><article>{paragraphs}</article></body></html>".encode()


def serve_gzip_as_html(local_server: LocalServer, path: str, html: bytes) -> str:
    body = gzip.compress(html, compresslevel=9)

    async def handler(request: web.Request) -> web.Response:
        # No Content-Encoding: the bytes are "the page", and trafilatura would gunzip them.
        return web.Response(body=body, content_type="text/html")

    local_server.routes[path] = handler
    return local_server.url(path)


async def test_a_gzip_page_served_as_html_is_not_expanded_past_the_limit(
    local_server: LocalServer,
) -> None:
    url = serve_gzip_as_html(local_server, "/bomb.html", page(DEFAULT_MAX_BYTES + 1024 * 1024))
    async with Fetcher(policy=AddressPolicy(allow_private=True)) as fetcher:
        with pytest.raises(FetchError, match=f"larger than {DEFAULT_MAX_BYTES} bytes"):
            await fetch_article(url, fetcher=fetcher)


async def test_a_small_gzip_page_served_as_html_is_still_read(local_server: LocalServer) -> None:
    url = serve_gzip_as_html(local_server, "/small.html", page(4000))
    async with Fetcher(policy=AddressPolicy(allow_private=True)) as fetcher:
        article = await fetch_article(url, fetcher=fetcher)
    assert "new bridge over the river" in article.text
