"""`newsbot search QUERY`: stored articles ranked by BM25, with a snippet."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from newsbot.options import add_database_option, database_path


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `search` subcommand."""
    parser = subparsers.add_parser(
        "search",
        help="full-text search of stored articles",
        description="Rank stored articles by BM25 (titles count more); words are taken literally.",
    )
    parser.add_argument("query", nargs="+", help="words to look for")
    parser.add_argument("--limit", type=int, default=10, help="at most this many (default: 10)")
    add_database_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the matches, best first."""
    return asyncio.run(_search(args))


async def _search(args: argparse.Namespace) -> int:
    from storage import Store

    async with await Store.open(database_path(args), create=False) as store:
        hits = await store.articles.search(" ".join(args.query), limit=max(1, args.limit))
    if not hits:
        print("no matches")
        return 0
    for rank, hit in enumerate(hits, start=1):
        article = hit.article
        when = article.published_at.date().isoformat() if article.published_at else "undated"
        origin = ", ".join(part for part in (article.source, when) if part)
        print(f"{rank}. [{article.id}] {article.title} ({origin}) score {hit.score:.2f}")
        print(f"   {hit.snippet}")
        if article.url:
            print(f"   {article.url}")
    return 0
