"""feeds refuses a page with a code and values; the bot words every code for every reader.

Each kind of failure is made for real (local servers, a closed port, a hanging handler); only
the name server is faked, as the edge of the world, so that a name can resolve nowhere or to a
private address without depending on this machine's DNS.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from aiohttp import web

from bot.app import build_application
from bot.fetch_errors import FETCH_ERROR_TEXTS
from bot.http_page_fetcher import HttpPageFetcher
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from bot.page_fetcher import FetchError
from bot.runner import serving
from feeds import AddressPolicy, Fetcher, FetchErrorCode
from feeds.addresses import IPAddress
from tests.bot.conftest import Conversation
from tests.local_server import serving_app

TRANSLATED = sorted(set(LANGUAGES) - {DEFAULT_LANGUAGE})
OPERATOR = 999  # in the settings' admin_ids
MEGABYTE = 2**20
CANNOT_OPEN = "Sorry, I can't open that link. Check the address: I only read public web sites."


def test_every_fetch_error_code_has_a_wording_in_the_bot() -> None:
    assert set(FETCH_ERROR_TEXTS) == set(FetchErrorCode)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_wording_is_translated(language: str) -> None:
    untranslated = [
        code
        for code, text in FETCH_ERROR_TEXTS.items()
        if translator(language).gettext(text) == text
    ]
    assert untranslated == []


# What the site answers at each path: status, content type, body, and Content-Encoding.
ANSWERS: dict[str, tuple[int, str, bytes, str | None]] = {
    "/forbidden": (403, "text/html", b"no", None),
    "/unavailable": (503, "text/html", b"no", None),
    "/gone": (410, "text/html", b"no", None),
    "/large": (200, "text/html", b"<p>x</p>" * MEGABYTE, None),
    "/bad-gzip": (200, "text/html", b"not gzip", "gzip"),
    "/file.bin": (200, "application/octet-stream", b"\0" * 100, None),
    "/empty": (200, "text/html", b"<html><body></body></html>", None),
}


@pytest.fixture
async def site() -> AsyncIterator[str]:
    """A local web site with one page for each way a fetch goes wrong; yields its root URL."""
    never = asyncio.Event()

    async def answer(request: web.Request) -> web.Response:
        if request.path == "/slow":
            await never.wait()
        if request.path == "/loop":
            raise web.HTTPFound("/loop")
        if request.path not in ANSWERS:
            raise web.HTTPNotFound()
        status, content_type, body, encoding = ANSWERS[request.path]
        headers = {"Content-Encoding": encoding} if encoding else {}
        return web.Response(status=status, body=body, content_type=content_type, headers=headers)

    app = web.Application()
    app.router.add_get("/{path:.*}", answer)
    async with serving_app(app) as url:
        yield url


@pytest.fixture
async def cut_off() -> AsyncIterator[str]:
    """A server that promises 1000 bytes, sends 3 and hangs up; yields its URL."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n")
        writer.write(b"abc")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/story"
    finally:
        server.close()
        await server.wait_closed()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def name_server(host: str, port: int) -> list[IPAddress]:
    """The edge of the world: intranet.example is private, any other name does not exist."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        return [ipaddress.ip_address("10.1.2.3")] if host == "intranet.example" else []


@pytest.fixture
async def page_fetcher() -> AsyncIterator[HttpPageFetcher]:
    """The bot's page fetcher, allowed to read 127.0.0.1, with a 1 MB and 0.2 s limit."""
    policy = AddressPolicy(allowed_hosts=["127.0.0.1"], resolver=name_server)
    async with Fetcher(policy=policy, max_bytes=MEGABYTE, timeout=0.2) as client:
        yield HttpPageFetcher(client)


async def english_refusal(page_fetcher: HttpPageFetcher, url: str) -> str:
    with pytest.raises(FetchError) as refused:
        await page_fetcher.fetch(url)
    return refused.value.translated(translator("en"))


@pytest.mark.parametrize(
    ("path", "reply"),
    [
        ("/missing", "That page does not exist (error 404). Check the link for typos."),
        ("/gone", "That page does not exist (error 410). Check the link for typos."),
        ("/forbidden", "That page is not public (error 403). Send a link that anyone can open."),
        (
            "/unavailable",
            "That site answered with error 503. Check the link, or try again later.",
        ),
        ("/slow", "That site took too long to answer. Try again later."),
        (
            "/loop",
            "That link redirects more than 5 times. Send the address of the page itself.",
        ),
        ("/large", "That page is larger than 1 MB. Send a link to the article itself."),
        (
            "/bad-gzip",
            "That site sent a page I could not decode. Try again later, or send another link.",
        ),
        (
            "/file.bin",
            "That link is not a web page but application/octet-stream. Send a link to an article.",
        ),
        ("/empty", "I could not find any article text on that page."),
    ],
)
async def test_each_failure_of_a_site_is_worded_for_the_reader(
    page_fetcher: HttpPageFetcher, site: str, path: str, reply: str
) -> None:
    assert await english_refusal(page_fetcher, site + path) == reply


async def test_a_size_limit_is_shown_in_the_readers_digits(site: str) -> None:
    policy = AddressPolicy(allowed_hosts=["127.0.0.1"], resolver=name_server)
    async with Fetcher(policy=policy, max_bytes=MEGABYTE // 10, timeout=5) as client:
        with pytest.raises(FetchError) as refused:
            await HttpPageFetcher(client).fetch(site + "/large")
    assert refused.value.translated(translator("fr")) == (
        "Cette page dépasse 0,1 Mo. Envoyez un lien vers l'article lui-même."
    )
    assert refused.value.translated(translator("en")).startswith("That page is larger than 0.1 MB.")


async def test_a_connection_that_breaks_off_is_worded_for_the_reader(
    page_fetcher: HttpPageFetcher, cut_off: str
) -> None:
    assert await english_refusal(page_fetcher, cut_off) == (
        "The connection to that site broke off. Try again in a minute."
    )


async def test_a_refused_connection_is_worded_for_the_reader(
    page_fetcher: HttpPageFetcher,
) -> None:
    assert await english_refusal(page_fetcher, f"http://127.0.0.1:{closed_port()}/") == (
        "I could not connect to that site. Check the link, or try again later."
    )


async def test_a_link_that_is_not_a_web_address_is_worded_for_the_reader(
    page_fetcher: HttpPageFetcher,
) -> None:
    assert await english_refusal(page_fetcher, "ftp://127.0.0.1/story") == (
        "That is not a web address I can open; send a link that starts with https://."
    )


async def test_an_unknown_name_reads_like_a_private_one(page_fetcher: HttpPageFetcher) -> None:
    # A reader must not learn which names exist inside the operator's network.
    unknown = await english_refusal(page_fetcher, "http://nowhere.example/story")
    private = await english_refusal(page_fetcher, "http://intranet.example/story")
    assert unknown == private == CANNOT_OPEN


async def test_a_german_reader_gets_the_reason_in_german(
    emu, settings, summary_executor, site, new_chat_id
):
    allowed = replace(settings, fetch_allow_hosts=frozenset({"127.0.0.1"}))
    chat = Conversation(emu, new_chat_id)
    operator = Conversation(emu, OPERATOR, user_id=OPERATOR)
    async with serving(build_application(allowed, summary_executor=summary_executor)):
        summary = await chat.ask(f"/summary {site}/missing", language_code="de")
        feed = await operator.ask(f"/feed add {site}/forbidden", language_code="de")
    assert summary.text == "Diese Seite gibt es nicht (Fehler 404). Prüfe den Link auf Tippfehler."
    assert feed.text.startswith("Unter dieser Adresse habe ich keinen RSS- oder Atom-Feed")
    assert feed.text.endswith(
        "Diese Seite ist nicht öffentlich (Fehler 403). Schick einen Link, den jeder öffnen kann."
    )
