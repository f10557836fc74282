"""`newsbot demo`: chat with the real bot on a local Telegram emulator, no token needed."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["register", "run"]

DEFAULT_SCRIPT = ("/start", "/subscribe ukraine", "/digest", "/summary record heat", "/topics")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `demo` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="chat with the bot on a local Telegram emulator with demo news (no token)",
        description=(
            "Starts the Bot API emulator and the bot, loads demo news, and lets you chat in the "
            "terminal. With standard input not a terminal, reads one message per line and "
            "prints the transcript: printf '/start\\n/subscribe ukraine\\n' | newsbot demo"
        ),
    )
    parser.add_argument(
        "--db", type=Path, help="database file to use (default: a temporary one, deleted after)"
    )
    parser.add_argument(
        "--tour",
        action="store_true",
        help=f"play a short scripted conversation ({', '.join(DEFAULT_SCRIPT)}) and exit "
        "(on a terminal, the demo plays it first and then lets you chat)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the demo until the input ends."""
    from newsbot.demo import run_demo

    interactive = sys.stdin.isatty() and not args.tour
    # On a terminal the tour shows the bot working before handing over the keyboard.
    script = DEFAULT_SCRIPT if args.tour or interactive else None
    with tempfile.TemporaryDirectory(prefix="newsbot-demo-") as scratch:
        database = args.db or Path(scratch) / "demo.db"
        return asyncio.run(
            run_demo(
                database=database,
                stdin=sys.stdin,
                out=sys.stdout,
                interactive=interactive,
                color=sys.stdout.isatty(),
                script=script,
                reach=script is not None,
            )
        )
