"""`newsbot related ARTICLE_ID`: stored headlines that concern an article (or any text)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from newsbot.errors import EXIT_USAGE, CommandError
from newsbot.options import add_database_option, database_path


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `related` subcommand."""
    parser = subparsers.add_parser(
        "related",
        help="headlines related to a stored article or to a text",
        description=(
            "Rank stored headlines and other articles' titles by how closely they concern the "
            "article; those below the relevance threshold are not shown."
        ),
    )
    parser.add_argument("article_id", nargs="?", type=int, help="id of a stored article")
    parser.add_argument("--text", metavar="FILE", help="use the text of FILE (- for stdin)")
    parser.add_argument("--limit", type=int, default=5, help="at most this many (default: 5)")
    add_database_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print related headlines with their scores, best first."""
    if (args.article_id is None) == (args.text is None):
        raise CommandError("give an ARTICLE_ID or --text FILE", status=EXIT_USAGE)
    text = None
    if args.text is not None:
        try:
            data = sys.stdin.buffer.read() if args.text == "-" else Path(args.text).read_bytes()
        except OSError as error:
            raise CommandError(f"{args.text}: {error.strerror}", status=EXIT_USAGE) from error
        text = data.decode("utf-8", errors="replace")
    return asyncio.run(_related(args, text))


async def _related(args: argparse.Namespace, text: str | None) -> int:
    from storage import Store

    limit = max(1, args.limit)
    async with await Store.open(database_path(args), create=False) as store:
        if text is not None:
            related = await store.articles.related_to_text(text, limit=limit)
        else:
            article = await store.articles.get(args.article_id)
            if article is None:
                raise CommandError(f"no article {args.article_id}")
            print(f"[{article.id}] {article.title}")
            related = await store.articles.related(article.id, limit=limit)
    if not related:
        print("no related headlines")
    for headline in related:
        origin = f" ({headline.source})" if headline.source else ""
        print(f"{headline.score:.3f}  {headline.title}{origin}")
    return 0
