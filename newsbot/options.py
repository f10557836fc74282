"""Options shared by several commands, declared once so they read the same everywhere."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_database_option", "database_path", "port_number"]


def add_database_option(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    """Add ``--db``; ``nested`` for an action's own parser under a command that has one too.

    A nested parser's default would overwrite the value given before the action
    (``newsbot feeds --db f.db list``), so it has none: ``--db`` works on either side.
    """
    parser.add_argument(
        "--db",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS if nested else None,
        help="the database file (default: $NEWSBOT_DB, else ./newsbot.db)",
    )


def database_path(args: argparse.Namespace) -> Path:
    """The database the command should use: ``--db``, else ``$NEWSBOT_DB``, else the default."""
    from storage.database import default_database_path  # noqa: PLC0415 (keeps --help fast)

    given: Path | None = getattr(args, "db", None)
    return given or default_database_path()


def port_number(value: str, *, lowest: int = 1) -> int:
    """An argparse type for a TCP port, refused before anything touches the network."""
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not lowest <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is between {lowest} and 65535, not {port}")
    return port
