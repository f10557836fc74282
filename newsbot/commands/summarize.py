"""`newsbot summarize`: print the summary of an article, one sentence per line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from newsbot.errors import EXIT_USAGE, CommandError

# Spelled out rather than imported so `newsbot --help` need not load Sumy; a test keeps it true.
ALGORITHMS_HELP = (
    "news (default), gist, lead, or a Sumy summariser: luhn, edmundson, lsa, lex-rank, "
    "text-rank, sum-basic, kl, reduction, random"
)


def positive_int(value: str) -> int:
    """An argparse type for counts that must be at least one."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `summarize` subcommand."""
    parser = subparsers.add_parser(
        "summarize",
        help="summarise an article from a file or standard input",
        description="Print an extractive summary, one sentence per line.",
    )
    parser.add_argument("--algorithm", default="news", metavar="NAME", help=ALGORITHMS_HELP)
    length = parser.add_mutually_exclusive_group()
    length.add_argument(
        "--sentences",
        type=positive_int,
        default=3,
        metavar="N",
        help="number of sentences (default: 3)",
    )
    length.add_argument(
        "--max-chars",
        type=positive_int,
        metavar="N",
        help="character budget instead of a sentence count",
    )
    parser.add_argument(
        "--language", metavar="LANG", help="language name or code (default: detect)"
    )
    parser.add_argument("--title", metavar="TEXT", help="the article's headline, if known")
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="allow a URL on a loopback or private address (refused by default)",
    )
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help="text or HTML file, a page's URL, or - for stdin (default)",
    )
    parser.set_defaults(handler=run)


def _looks_like_html(source: str, text: str) -> bool:
    if source.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip()[:1024].lower()
    return head.startswith(("<!doctype html", "<html")) or "<html" in head


def read_article(source: str, *, allow_private: bool) -> tuple[str, str | None, bool]:
    """Text, title and lossiness of a text file, an HTML page (file or URL) or stdin.

    Pages go through the same extractor as ``newsbot ingest``, so scripts, menus, captions and
    paywall offers are not summarised. Raises CommandError for what cannot be read, is binary
    data or holds no text.
    """
    from storage.errors import StorageError
    from storage.ingest.page import extract_page

    if source.startswith(("http://", "https://")):
        from feeds import FetchError
        from feeds.article import fetch_article

        try:
            article = asyncio.run(fetch_article(source, allow_private=allow_private))
        except (FetchError, StorageError) as error:
            raise CommandError(str(error), status=EXIT_USAGE) from error
        return article.text, article.title, False
    name = "standard input" if source == "-" else source
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {source}: {error.strerror}", status=EXIT_USAGE) from error
    text, lossy = _decoded(data, name)
    if not _looks_like_html(source, text):
        return text, None, lossy
    page = extract_page(data)
    if page is None:
        raise CommandError(f"{name}: no article text found in the HTML page", status=EXIT_USAGE)
    return page.text, page.title, False


def _decoded(data: bytes, name: str) -> tuple[str, bool]:
    try:
        text, lossy = data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        text, lossy = data.decode("utf-8", errors="ignore"), True
    # NUL bytes, or many bytes that are not UTF-8, mean an executable or an image: its
    # "summary" would be garbage.
    if b"\x00" in data or len(data) - len(text.encode()) > len(data) // 20:
        raise CommandError(f"{name} is binary data, not text", status=EXIT_USAGE)
    if not text.strip():
        raise CommandError(f"{name} is empty: there is nothing to summarise", status=EXIT_USAGE)
    return text, lossy


def run(args: argparse.Namespace) -> int:
    """Summarise the input and print it."""
    from summaries import summarize

    text, page_title, lossy = read_article(args.file, allow_private=args.allow_private)
    if lossy:
        print("newsbot summarize: input is not valid UTF-8; skipped bad bytes", file=sys.stderr)
    summary = summarize(
        text,
        algorithm=args.algorithm,
        sentences=None if args.max_chars else args.sentences,
        max_chars=args.max_chars,
        language=args.language,
        title=args.title or page_title,
    )
    if not summary.sentences:
        raise CommandError("no sentences to summarise in the input", status=EXIT_USAGE)
    for sentence in summary.sentences:
        print(sentence)
    return 0
