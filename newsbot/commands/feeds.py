"""`newsbot feeds add|list|remove|import|export|poll`: the RSS and Atom feeds to poll."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage import Store

EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `feeds` subcommand and its actions."""
    parser = subparsers.add_parser(
        "feeds",
        help="manage the RSS and Atom feeds the bot polls",
        description="Feeds are polled while the bot runs; NEWSBOT_FEEDS adds some at start.",
    )
    parser.add_argument("--db", type=Path, help="database file (default: $NEWSBOT_DB)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a feed")
    add.add_argument("url")
    add.add_argument("--topic", help="topic given to every article of this feed")
    actions.add_parser("list", help="list feeds with their state")
    pages = actions.add_parser(
        "pages", help="fetch the article pages of a feed's headline-only items, or not"
    )
    pages.add_argument("feed", metavar="URL_OR_ID")
    pages.add_argument("state", choices=("on", "off"))
    remove = actions.add_parser("remove", help="stop polling a feed (its articles stay)")
    remove.add_argument("feed", metavar="URL_OR_ID")
    import_ = actions.add_parser("import", help="add the feeds of an OPML file")
    import_.add_argument("file", type=Path)
    actions.add_parser("export", help="print the feeds as OPML")
    poll = actions.add_parser("poll", help="poll the due feeds once, now")
    poll.add_argument(
        "--allow-private", action="store_true", help="allow feeds on private addresses"
    )
    poll.add_argument(
        "--no-fetch-pages",
        dest="fetch_pages",
        action="store_false",
        help="do not fetch the pages of headline-only items (also NEWSBOT_FETCH_PAGES=0)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Carry out one feeds action."""
    data = None
    if args.action == "import":
        try:
            data = args.file.read_bytes()
        except OSError as error:
            print(f"newsbot feeds: {args.file}: {error.strerror}", file=sys.stderr)
            return EXIT_BAD_INPUT
    from storage import StorageError

    try:
        return asyncio.run(_run(args, data))
    except StorageError as error:
        # Opening the database failed (unreadable, not SQLite, or from a newer newsbot).
        print(f"newsbot feeds: {error}", file=sys.stderr)
        return 1


async def _run(args: argparse.Namespace, data: bytes | None) -> int:
    from storage import StorageError, Store, default_database_path
    from storage.feeds import export_opml, parse_opml

    async with await Store.open(args.db or default_database_path()) as store:
        try:
            if args.action == "add":
                feed, created = await store.add_feed(args.url, topic=args.topic)
                print(f"{'added' if created else 'already there'}: [{feed.id}] {feed.url}")
            elif args.action == "list":
                for feed in await store.list_feeds():
                    parts = [f"[{feed.id}]", feed.url, feed.title or ""]
                    if feed.topic:
                        parts.append(f"topic={feed.topic}")
                    if not feed.fetch_pages:
                        parts.append("pages=off")
                    if feed.failures:
                        parts.append(f"failing x{feed.failures}: {feed.last_error}")
                    print(" ".join(part for part in parts if part))
            elif args.action == "pages":
                changed = await store.set_feed_fetch_pages(args.feed, args.state == "on")
                if changed is None:
                    print(f"newsbot feeds: no feed {args.feed}", file=sys.stderr)
                    return EXIT_FAILURE
                print(f"pages {args.state}: [{changed.id}] {changed.url}")
            elif args.action == "remove":
                removed = await store.remove_feed(args.feed)
                if removed is None:
                    print(f"newsbot feeds: no feed {args.feed}", file=sys.stderr)
                    return EXIT_FAILURE
                print(f"removed: [{removed.id}] {removed.url}")
            elif args.action == "import":
                assert data is not None
                added = await store.add_feeds(parse_opml(data, name=str(args.file)))
                print(f"{len(added)} new feeds")
            elif args.action == "export":
                sys.stdout.write(export_opml(await store.list_feeds()))
            else:
                return await _poll(
                    store, allow_private=args.allow_private, fetch_pages=args.fetch_pages
                )
        except StorageError as error:
            print(f"newsbot feeds: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
    return 0


async def _poll(store: Store, *, allow_private: bool, fetch_pages: bool) -> int:
    from storage.addresses import AddressPolicy
    from storage.article_pages import ArticlePages, fetch_pages_enabled
    from storage.fetch import Fetcher
    from storage.polling import poll_due_feeds

    async with Fetcher(policy=AddressPolicy(allow_private=allow_private)) as fetcher:
        pages = ArticlePages(fetcher) if fetch_pages_enabled(fetch_pages, os.environ) else None
        report = await poll_due_feeds(store, fetcher, pages=pages)
    for error in report.errors:
        print(f"newsbot feeds: {error}", file=sys.stderr)
    print(
        f"polled {report.polled} feeds: {report.new_articles} new articles,"
        f" {report.new_headlines} new headlines, {report.not_modified} not modified,"
        f" {report.failed} failed"
    )
    return EXIT_FAILURE if report.failed else 0
