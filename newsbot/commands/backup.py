"""`newsbot backup PATH`: an online copy of the live database."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from newsbot.options import add_database_option, database_path

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `backup` subcommand."""
    parser = subparsers.add_parser(
        "backup",
        help="copy the database while the bot runs (SQLite online backup)",
        description="Write a consistent copy of the database to PATH; the bot may keep running.",
    )
    parser.add_argument("path", type=Path, help="where to write the copy (must not exist)")
    add_database_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Back the database up to ``args.path``."""
    from storage.maintenance import backup_database

    source = database_path(args)
    asyncio.run(backup_database(source, args.path))
    print(f"backed up {source} to {args.path}")
    return 0
