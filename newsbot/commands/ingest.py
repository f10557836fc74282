"""`newsbot ingest SOURCE...`: load news from files, directories, URLs or standard input."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsbot.errors import EXIT_USAGE, CommandError
from newsbot.options import add_database_option, database_path
from newsbot.plurals import counted


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
        help="force a format (default: detected from the name and the first bytes)",
    )
    parser.add_argument(
        "--skip-bad",
        action="store_true",
        help="load the good records and list the bad ones (fails only if none is good)",
    )
    parser.add_argument(
        "--source", help="source name for records that do not carry one (default: none)"
    )
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
        " (default: fetch them, unless NEWSBOT_FETCH_PAGES=0)",
    )
    add_database_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Ingest every source and print what was new."""
    return asyncio.run(_ingest(args))


async def _ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from feeds import AddressPolicy, Fetcher, FetchError
    from feeds.downloads import open_url
    from feeds.headline_pages import ArticlePages, fetch_pages_enabled
    from feeds.polling import complete_headlines
    from storage import IngestError, Store
    from storage.ingest.records import Record
    from storage.ingest.sources import Source, expand, open_file, open_stream

    async def open_source(argument: str, fetcher: Fetcher) -> Source:
        if argument == "-":
            return open_stream(sys.stdin.buffer, fmt=args.format, source=args.source)
        if argument.startswith(("http://", "https://")):
            return await open_url(argument, fetcher, fmt=args.format, source=args.source)
        return open_file(Path(argument), fmt=args.format, source=args.source)

    status = 0
    loaded_sources = 0
    total = IngestTotal()
    policy = AddressPolicy(allow_private=args.allow_private)
    async with (
        await Store.open(database_path(args)) as store,
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
                report = await store.articles.ingest(records, skip_bad=args.skip_bad)
            except (IngestError, FetchError) as error:
                print(f"newsbot ingest: {error}", file=sys.stderr)
                if not args.skip_bad:
                    status = EXIT_USAGE
                continue
            loaded_sources += 1
            for bad in report.bad:
                print(f"newsbot ingest: skipped {bad}", file=sys.stderr)
            print(
                f"{source.name} ({source.format}):"
                f" {counted(report.new_articles, 'new article')},"
                f" {counted(report.new_headlines, 'new headline')},"
                f" {report.skipped} already stored"
                + (f", {len(report.bad)} bad" if report.bad else "")
            )
            total.add(report.new_articles, report.new_headlines, report.skipped)
    if loaded_sources:
        print(total.describe())
    if args.skip_bad and total.good == 0:
        # --skip-bad must not turn "nothing could be read" into success.
        raise CommandError("nothing loaded: no source had a good record", status=EXIT_USAGE)
    return status


@dataclass(slots=True)
class IngestTotal:
    """What every source of one run added up to."""

    new_articles: int = 0
    new_headlines: int = 0
    skipped: int = 0

    def add(self, new_articles: int, new_headlines: int, skipped: int) -> None:
        """Count one source's report."""
        self.new_articles += new_articles
        self.new_headlines += new_headlines
        self.skipped += skipped

    @property
    def good(self) -> int:
        """Records that were read: stored now, or found stored already."""
        return self.new_articles + self.new_headlines + self.skipped

    def describe(self) -> str:
        """The summary line: ``3 new (1 article, 2 headlines), 0 already stored``."""
        return (
            f"{self.new_articles + self.new_headlines} new"
            f" ({counted(self.new_articles, 'article')},"
            f" {counted(self.new_headlines, 'headline')}), {self.skipped} already stored"
        )
