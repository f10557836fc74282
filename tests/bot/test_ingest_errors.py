"""storage refuses a feed or document with a code and values; the bot words every code for readers.

Each refusal is made for real, from the kind of input that causes it (an HTML page where a feed
was wanted, a gzip bomb, a JSON Lines file with a bad line); the wording is what a reader sees.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp import web

from bot.app import build_application
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from bot.ingest_errors import INGEST_ERROR_TEXTS, ingest_error_text
from bot.runner import serving
from storage import IngestError, Store
from storage.errors import IngestErrorCode
from storage.ingest.compression import Inflater
from storage.ingest.feeds import parse_feed
from storage.ingest.page import parse_page
from storage.ingest.sources import MAX_DOCUMENT_BYTES, from_bytes, open_file
from tests.bot.conftest import Conversation
from tests.local_server import LocalServer

TRANSLATED = sorted(set(LANGUAGES) - {DEFAULT_LANGUAGE})
OPERATOR = 999  # in the settings' admin_ids
TENTH_OF_A_MEGABYTE = 2**20 // 10

HOME_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Harbour Gazette</title></head>"
    b"<body><h1>Harbour Gazette</h1><p>Today's news from the harbour.</p></body></html>"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
# A few KB of gzip that unpack to 2 MB of spaces: a small gzip bomb.
GZIP_BOMB = gzip.compress(b" " * 2 * 2**20)


def test_every_ingest_error_code_has_a_wording_in_the_bot() -> None:
    assert set(INGEST_ERROR_TEXTS) == set(IngestErrorCode)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_wording_is_translated(language: str) -> None:
    untranslated = [
        code
        for code, text in INGEST_ERROR_TEXTS.items()
        if translator(language).gettext(text) == text
    ]
    assert untranslated == []


def refused(make: Callable[[], object]) -> IngestError:
    with pytest.raises(IngestError) as refusal:
        make()
    return refusal.value


def english(error: IngestError) -> str:
    return ingest_error_text(error, translator("en"))


def test_a_web_page_given_as_a_feed_is_told_apart_from_other_non_feeds() -> None:
    error = refused(lambda: parse_feed(HOME_PAGE, name="https://harbour.example/"))
    assert error.code is IngestErrorCode.WEB_PAGE_NOT_A_FEED
    assert str(error).startswith("https://harbour.example/: not an RSS or Atom feed")
    assert english(error) == (
        "It is a web page, not a feed. Look on that page for a link to its RSS or Atom feed "
        "and send me that address."
    )


def test_xml_that_is_no_feed_is_worded_for_the_reader() -> None:
    catalogue = b'<?xml version="1.0"?>\n<catalogue><book>Sea stories</book></catalogue>'
    error = refused(lambda: parse_feed(catalogue, name="books.xml"))
    assert error.code is IngestErrorCode.NOT_A_FEED
    assert english(error) == (
        "What it sent is neither RSS nor Atom. Check that the address is the feed's own."
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: parse_feed(PNG, name="logo.png"),
        lambda: from_bytes(PNG, name="logo.png"),
    ],
    ids=["as a feed", "as any source"],
)
def test_an_image_is_worded_as_binary_data(make: Callable[[], object]) -> None:
    assert english(refused(make)) == (
        "It is binary data (an image, an archive…), not text. Check the address."
    )


def test_an_empty_document_is_worded_for_the_reader() -> None:
    error = refused(lambda: from_bytes(b" \n\n", name="notes.txt"))
    assert str(error) == "notes.txt: empty file, nothing to ingest"
    assert english(error) == "It is empty: there is nothing in it to read."


def test_a_document_of_unknown_kind_is_worded_for_the_reader() -> None:
    error = refused(lambda: from_bytes(b"# Notes\nsome text", name="notes.md"))
    assert english(error) == (
        "I cannot tell what kind of document it is. Send an RSS or Atom feed, JSON Lines, a web "
        "page or plain text."
    )


def test_a_missing_file_is_worded_for_the_reader(tmp_path: Path) -> None:
    error = refused(lambda: open_file(tmp_path / "news.jsonl"))
    assert str(error) == f"{tmp_path / 'news.jsonl'}: No such file or directory"
    assert english(error) == "I could not read it. Check that it exists, then try again."


def test_a_document_over_the_size_limit_is_worded_with_the_limit(tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    with page.open("wb") as file:  # sparse: no 50 MB written to the disk
        file.truncate(MAX_DOCUMENT_BYTES + 1)
    error = refused(lambda: list(open_file(page, fmt="html").records))
    assert english(error) == (
        "It is larger than 50 MB, the most I read at once. Split it into smaller parts."
    )


def test_a_gzip_bomb_is_worded_with_the_limit_in_the_readers_digits() -> None:
    error = refused(
        lambda: from_bytes(GZIP_BOMB, name="news.jsonl.gz", max_bytes=TENTH_OF_A_MEGABYTE)
    )
    assert str(error) == f"news.jsonl.gz: larger than {TENTH_OF_A_MEGABYTE} bytes once decompressed"
    assert english(error) == "Unpacked, it is larger than 0.1 MB, the most I read at once."
    assert ingest_error_text(error, translator("de")) == (
        "Entpackt ist es größer als 0,1 MB, mehr lese ich nicht auf einmal."
    )
    assert ingest_error_text(error, translator("fr")) == (
        "Décompressé, il dépasse 0,1 Mo, le maximum que je lis d'un coup."
    )


def test_a_truncated_gzip_file_is_worded_for_the_reader(tmp_path: Path) -> None:
    archive = gzip.compress(b'{"text": "A ferry ran aground."}\n' * 100)[:-20]
    error = refused(lambda: from_bytes(archive, name="news.jsonl.gz"))
    assert english(error) == "Its compressed data is damaged or cut short. Try again later."
    path = tmp_path / "news.jsonl.gz"
    path.write_bytes(archive)
    from_disk = refused(lambda: list(open_file(path).records))
    assert english(from_disk) == english(error)


def test_an_unknown_content_encoding_is_worded_with_its_name() -> None:
    error = refused(lambda: Inflater("br", limit=TENTH_OF_A_MEGABYTE))
    assert english(error) == "It is compressed in a way I cannot read (br)."


def test_a_page_without_article_text_is_worded_for_the_reader() -> None:
    error = refused(lambda: parse_page(b"<html><body></body></html>", name="empty.html"))
    assert english(error) == "I could not find any article text on that page."


GOOD_LINE = b'{"title": "Ferry back in service", "text": "The harbour ferry runs again."}\n'


@pytest.mark.parametrize(
    ("bad_line", "reply"),
    [
        (
            b'{"title": "Ferry back in service", "text": "The harbour\n',
            "Line 2 is not valid JSON (column 56).",
        ),
        (b'{"title": "Caf\xe9 reopens", "text": "..."}\n', "Line 2 is not UTF-8 text (byte 15)."),
        (b'["Ferry back in service"]\n', "Line 2 is not a JSON object."),
        (b'{"title": 2024, "text": "The harbour ferry."}\n', "Line 2: “title” must be text."),
        (
            b'{"url": "https://harbour.example/ferry"}\n',
            "Line 2 has neither a “text” nor a “title”.",
        ),
    ],
    ids=["malformed", "not utf-8", "not an object", "field not text", "no text or title"],
)
async def test_a_bad_line_of_json_lines_is_worded_with_its_number(
    tmp_path: Path, bad_line: bytes, reply: str
) -> None:
    path = tmp_path / "news.jsonl"
    path.write_bytes(GOOD_LINE + bad_line + GOOD_LINE)
    store = await Store.open(tmp_path / "newsbot.db")
    try:
        with pytest.raises(IngestError) as refusal:
            await store.articles.ingest(open_file(path).records)
    finally:
        await store.close()
    assert str(refusal.value).startswith(f"{path}:2: ")
    assert english(refusal.value) == reply


async def test_a_line_over_the_limit_is_worded_with_the_limit_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl.gz"
    # Compressed, an 11 MB line costs the disk a few KB.
    path.write_bytes(gzip.compress(GOOD_LINE + b'{"text": "' + b"a" * 11 * 2**20 + b'"}\n'))
    store = await Store.open(tmp_path / "newsbot.db")
    try:
        with pytest.raises(IngestError) as refusal:
            await store.articles.ingest(open_file(path).records)
    finally:
        await store.close()
    assert ingest_error_text(refusal.value, translator("uk")) == (
        "Рядок 2 довший за 10 МБ — це найбільше, що я читаю в одному рядку."
    )


@pytest.fixture
def site(local_server: LocalServer) -> str:
    """A local web site whose home page is an HTML page, not a feed; its root URL."""

    async def home(request: web.Request) -> web.Response:
        return web.Response(body=HOME_PAGE, content_type="text/html")

    local_server.routes["/"] = home
    return local_server.url("/")


async def test_a_german_operator_adding_a_home_page_as_a_feed_is_told_why_in_german(
    emu, settings, summary_executor, site
):
    allowed = replace(settings, fetch_allow_hosts=frozenset({"127.0.0.1"}))
    operator = Conversation(emu, OPERATOR, user_id=OPERATOR)
    async with serving(build_application(allowed, summary_executor=summary_executor)):
        reply = await operator.ask(f"/feed add {site}", language_code="de")
    heading = translator("de").gettext(
        "That address did not give me an RSS or Atom feed, so I did not add it:\n{reason}"
    )
    assert reply.text == heading.format(
        reason="Das ist eine Webseite, kein Feed. Such auf dieser Seite nach einem Link zu ihrem "
        "RSS- oder Atom-Feed und schick mir diese Adresse."
    )
    assert reply.text.startswith("Unter dieser Adresse habe ich keinen RSS- oder Atom-Feed")
