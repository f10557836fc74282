"""`newsbot feeds add|list|remove|import|export|poll`: the RSS and Atom feeds to poll."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsbot.errors import EXIT_FAILURE, EXIT_USAGE, CommandError
from newsbot.options import add_database_option, database_path
from newsbot.plurals import counted

if TYPE_CHECKING:
    from storage import Store
    from storage.feeds import FeedEntry

_ALLOW_PRIVATE_HELP = "allow feeds on loopback or private addresses (refused by default)"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `feeds` subcommand and its actions."""
    parser = subparsers.add_parser(
        "feeds",
        help="manage the RSS and Atom feeds the bot polls",
        description="Feeds are polled while the bot runs; NEWSBOT_FEEDS adds some at start.",
    )
    add_database_option(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="add a feed (fetched once first, to check that it is one)",
        description=(
            "Fetch the feed once and add it; an address that does not answer with an RSS or "
            "Atom feed is refused. The bot polls a feed on a private address only if its host "
            "is in NEWSBOT_FETCH_ALLOW_HOSTS."
        ),
    )
    add.add_argument("url")
    add.add_argument("--topic", help="topic given to every article of this feed (default: none)")
    add.add_argument("--allow-private", action="store_true", help=_ALLOW_PRIVATE_HELP)
    add.add_argument(
        "--no-check", action="store_true", help="add it without fetching it (offline set-up)"
    )
    listing = actions.add_parser(
        "list",
        help="list feeds with their state",
        description="Print each feed: its id, address, title, topic and, if failing, why.",
    )
    remove = actions.add_parser(
        "remove",
        help="stop polling a feed (its articles stay)",
        description="Stop polling the feed given by its address or id; its articles stay.",
    )
    remove.add_argument("feed", metavar="URL_OR_ID")
    import_ = actions.add_parser(
        "import",
        help="add the feeds of an OPML file",
        description="Add every feed of an OPML file (as feed readers export them).",
    )
    import_.add_argument("file", type=Path)
    export = actions.add_parser(
        "export",
        help="print the feeds as OPML",
        description="Print every feed as an OPML document, for a feed reader or a backup.",
    )
    poll = actions.add_parser(
        "poll",
        help="poll the due feeds once, now",
        description="Fetch the feeds that are due, store what is new, and print a summary.",
    )
    poll.add_argument("--allow-private", action="store_true", help=_ALLOW_PRIVATE_HELP)
    poll.add_argument(
        "--no-fetch-pages",
        dest="fetch_pages",
        action="store_false",
        help="do not fetch the pages of headline-only items"
        " (default: fetch them, unless NEWSBOT_FETCH_PAGES=0)",
    )
    pages = actions.add_parser(
        "pages",
        help="fetch the article pages of a feed's headline-only items, or not",
        description=(
            "Turn on or off, for one feed, fetching the article page of items that come with "
            "a headline only (on by default; NEWSBOT_FETCH_PAGES=0 turns it off everywhere)."
        ),
    )
    pages.add_argument("feed", metavar="URL_OR_ID")
    pages.add_argument("state", choices=("on", "off"))
    for action in (add, listing, remove, import_, export, poll, pages):
        add_database_option(action, nested=True)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Carry out one feeds action."""
    entries = _read_opml(args.file) if args.action == "import" else None
    return asyncio.run(_run(args, entries))


def _read_opml(path: Path) -> list[FeedEntry]:
    """The feeds an OPML file lists; raises CommandError when it cannot be read as OPML."""
    from storage import StorageError
    from storage.feeds import parse_opml

    try:
        return parse_opml(path.read_bytes(), name=str(path))
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}", status=EXIT_USAGE) from error
    except StorageError as error:
        raise CommandError(str(error), status=EXIT_USAGE) from error


async def _run(args: argparse.Namespace, entries: list[FeedEntry] | None) -> int:
    from storage import Store
    from storage.feeds import export_opml

    title = None
    if args.action == "add":
        # Checked before the database is touched: a refused feed leaves nothing behind.
        title = await _check_feed(
            args.url, allow_private=args.allow_private, fetch=not args.no_check
        )
    async with await Store.open(database_path(args), create=False) as store:
        if args.action == "add":
            feed, created = await store.feeds.add(args.url, topic=args.topic, title=title)
            print(f"{'added' if created else 'already there'}: [{feed.id}] {feed.url}")
        elif args.action == "list":
            for feed in await store.feeds.all():
                parts = [f"[{feed.id}]", feed.url, feed.title or ""]
                if feed.topic:
                    parts.append(f"topic={feed.topic}")
                if not feed.fetch_pages:
                    parts.append("pages=off")
                if feed.failures:
                    parts.append(f"failing x{feed.failures}: {feed.last_error}")
                print(" ".join(part for part in parts if part))
        elif args.action == "pages":
            changed = await store.feeds.set_fetch_pages(args.feed, args.state == "on")
            if changed is None:
                raise CommandError(f"no feed {args.feed}")
            print(f"pages {args.state}: [{changed.id}] {changed.url}")
        elif args.action == "remove":
            removed = await store.feeds.remove(args.feed)
            if removed is None:
                raise CommandError(f"no feed {args.feed}")
            print(f"removed: [{removed.id}] {removed.url}")
        elif args.action == "import":
            assert entries is not None
            added = await store.feeds.add_many(entries)
            print(counted(len(added), "new feed"))
        elif args.action == "export":
            sys.stdout.write(export_opml(await store.feeds.all()))
        else:
            return await _poll(
                store, allow_private=args.allow_private, fetch_pages=args.fetch_pages
            )
    return 0


async def _check_feed(url: str, *, allow_private: bool, fetch: bool) -> str | None:
    """The feed's title after fetching it once; raises CommandError when it is not a feed."""
    import ipaddress

    import httpx

    from feeds import AddressPolicy, Fetcher, FetchError
    from feeds.addresses import is_public
    from storage import IngestError, StorageError
    from storage.feeds import check_feed_url
    from storage.ingest.feeds import parse_feed

    try:
        url = check_feed_url(url)
    except StorageError as error:
        raise CommandError(str(error), status=EXIT_USAGE) from error
    if not fetch:
        # Offline: no DNS either, so only a literal address or localhost can be judged.
        host = httpx.URL(url).host.lower()
        try:
            private = host == "localhost" or not is_public(ipaddress.ip_address(host))
        except ValueError:
            private = False  # a name: the bot's fetcher judges it when it resolves it
        if private and not allow_private:
            raise CommandError(
                f"{url} is on a non-public address; add --allow-private if that is intended",
                status=EXIT_USAGE,
            )
        return None
    try:
        async with Fetcher(policy=AddressPolicy(allow_private=allow_private)) as fetcher:
            response = await fetcher.get(url)
        parsed = await asyncio.to_thread(
            parse_feed, response.body, name=url, content_type=response.content_type
        )
    except (FetchError, IngestError, StorageError) as error:
        hint = "--allow-private" if "non-public address" in str(error) else "--no-check"
        raise CommandError(
            f"{error}; not added (add {hint} to add it anyway)", status=EXIT_USAGE
        ) from error
    return parsed.title


async def _poll(store: Store, *, allow_private: bool, fetch_pages: bool) -> int:
    from feeds import AddressPolicy, Fetcher
    from feeds.headline_pages import ArticlePages, fetch_pages_enabled
    from feeds.polling import poll_due_feeds

    async with Fetcher(policy=AddressPolicy(allow_private=allow_private)) as fetcher:
        pages = ArticlePages(fetcher) if fetch_pages_enabled(fetch_pages, os.environ) else None
        report = await poll_due_feeds(store, fetcher, pages=pages)
    for error in report.errors:
        print(f"newsbot feeds: {error}", file=sys.stderr)
    print(
        f"polled {counted(report.polled, 'feed')}:"
        f" {counted(report.new_articles, 'new article')},"
        f" {counted(report.new_headlines, 'new headline')},"
        f" {report.not_modified} not modified, {report.failed} failed"
    )
    return EXIT_FAILURE if report.failed else 0
