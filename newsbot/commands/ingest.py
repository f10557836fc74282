"""`newsbot ingest SOURCE...`: load news from files, directories, URLs or standard input."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

EXIT_BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `ingest` subcommand."""
    parser = subparsers.add_parser(
        "ingest",
        help="load news from files, directories, URLs or stdin",
        description=(
            "Store articles and headlines. Each SOURCE goes in whole or not at all; what is "
            "stored already (same URL, or same text from the same source) is skipped."
        ),
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="file, directory, URL or -")
    parser.add_argument(
        "--format",
        choices=("seed", "jsonl", "rss", "html"),
        help="force a format instead of detecting it",
    )
    parser.add_argument(
        "--skip-bad", action="store_true", help="load the good records and list the bad ones"
    )
    parser.add_argument("--source", help="source name for records that do not carry one")
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="allow URLs on loopback or private addresses (refused by default)",
    )
    parser.add_argument(
        "--no-fetch-pages",
        dest="fetch_pages",
        action="store_false",
        help="store headline-only feed items as they are, without fetching their pages"
        " (also NEWSBOT_FETCH_PAGES=0)",
    )
    parser.add_argument("--db", type=Path, help="database file (default: $NEWSBOT_DB)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Ingest every source and print what was new."""
    from storage import StorageError

    try:
        return asyncio.run(_ingest(args))
    except StorageError as error:
        # Opening the database failed (unreadable, not SQLite, or from a newer newsbot).
        print(f"newsbot ingest: {error}", file=sys.stderr)
        return 1


async def _ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from storage import FetchError, IngestError, Store, default_database_path
    from storage.addresses import AddressPolicy
    from storage.article_pages import ArticlePages, fetch_pages_enabled
    from storage.fetch import Fetcher
    from storage.ingest.records import Record
    from storage.ingest.sources import Source, expand, from_bytes, open_file, open_stream
    from storage.polling import complete_headlines

    async def open_source(argument: str, fetcher: Fetcher) -> Source:
        if argument == "-":
            return open_stream(sys.stdin.buffer, fmt=args.format, source=args.source)
        if argument.startswith(("http://", "https://")):
            response = await fetcher.get(argument)
            return from_bytes(
                response.body,
                name=argument,
                fmt=args.format,
                url=response.url,
                content_type=response.content_type,
                source=args.source,
            )
        return open_file(Path(argument), fmt=args.format, source=args.source)

    status = 0
    new_articles = new_headlines = skipped = 0
    policy = AddressPolicy(allow_private=args.allow_private)
    async with (
        await Store.open(args.db or default_database_path()) as store,
        Fetcher(policy=policy) as fetcher,
    ):
        pages = ArticlePages(fetcher) if fetch_pages_enabled(args.fetch_pages, os.environ) else None
        for argument in expand(args.sources):
            try:
                source = await open_source(argument, fetcher)
                records: Iterable[Record] = tqdm(
                    source.records,
                    desc=Path(source.name).name,
                    unit=" records",
                    leave=False,
                    disable=not sys.stderr.isatty(),
                )
                if pages is not None and source.format == "rss":
                    # A feed is one small document: its headlines' pages are fetched first.
                    records = await complete_headlines(store, pages, list(records))
                report = await store.ingest(records, skip_bad=args.skip_bad)
            except (IngestError, FetchError) as error:
                print(f"newsbot ingest: {error}", file=sys.stderr)
                if not args.skip_bad:
                    status = EXIT_BAD_INPUT
                continue
            for bad in report.bad:
                print(f"newsbot ingest: skipped {bad}", file=sys.stderr)
            print(
                f"{source.name} ({source.format}): {report.new_articles} new articles,"
                f" {report.new_headlines} new headlines, {report.skipped} already stored"
                + (f", {len(report.bad)} bad" if report.bad else "")
            )
            new_articles += report.new_articles
            new_headlines += report.new_headlines
            skipped += report.skipped
    print(
        f"{new_articles + new_headlines} new ({new_articles} articles,"
        f" {new_headlines} headlines), {skipped} already stored"
    )
    return status
