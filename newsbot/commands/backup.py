"""`newsbot backup PATH`: an online copy of the live database."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `backup` subcommand."""
    parser = subparsers.add_parser(
        "backup",
        help="copy the database while the bot runs (SQLite online backup)",
        description="Write a consistent copy of NEWSBOT_DB to PATH; the bot may keep running.",
    )
    parser.add_argument("path", type=Path, help="where to write the copy (must not exist)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Back the database up to ``args.path``."""
    from storage import StorageError
    from storage.database import default_database_path
    from storage.maintenance import backup_database

    source = default_database_path(os.environ)
    try:
        asyncio.run(backup_database(source, args.path))
    except StorageError as error:
        print(f"newsbot backup: {error}", file=sys.stderr)
        return 2
    print(f"backed up {source} to {args.path}")
    return 0
