"""`newsbot stats`: what the database holds and what was sent in the last day."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
from typing import Any

from newsbot.options import add_database_option, database_path

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `stats` subcommand."""
    parser = subparsers.add_parser(
        "stats",
        help="count articles, headlines, chats, subscriptions and recent digests",
        description=(
            "Print what the database holds (articles, headlines, chats, subscriptions, feeds) "
            "and how many digests went out in the last day."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_database_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the counts."""
    stats = asyncio.run(_collect(args))
    if args.json:
        print(json.dumps(dataclasses.asdict(stats)))
        return 0
    for field in dataclasses.fields(stats):
        label = field.name.replace("_", " ")
        print(f"{label:<22} {getattr(stats, field.name)}")
    return 0


async def _collect(args: argparse.Namespace) -> Any:
    from storage import Store
    from storage.timestamps import now_utc

    async with await Store.open(database_path(args), create=False) as store:
        return await store.stats(now_utc())
