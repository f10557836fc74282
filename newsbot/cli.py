"""The ``newsbot`` command: argparse with one module per subcommand.

argparse is in the standard library, handles nested subcommands well and keeps start-up fast;
a third-party CLI framework would add a dependency without adding anything we need.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from newsbot import __version__
from newsbot.errors import EXIT_USAGE, describe_failure
from newsbot.logs import configure_logging

# Each module exposes ``register(subparsers)``, which adds its parser and sets ``handler``.
# Modules import their heavy dependencies inside the handler so ``newsbot --help`` stays fast.
COMMAND_MODULES = (
    "newsbot.commands.summarize",
    "newsbot.commands.evaluate",
    "newsbot.commands.evaluate_related",
    "newsbot.commands.ingest",
    "newsbot.commands.feeds",
    "newsbot.commands.search",
    "newsbot.commands.related",
    "newsbot.commands.run",
    "newsbot.commands.demo",
    "newsbot.commands.emulator",
    "newsbot.commands.digest",
    "newsbot.commands.doctor",
    "newsbot.commands.backup",
    "newsbot.commands.stats",
    "newsbot.commands.bench",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the root parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="newsbot",
        description="A self-hosted Telegram bot that reads the news for you.",
    )
    parser.add_argument("--version", action="version", version=f"newsbot {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    configure_logging()
    try:
        status: int = handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        from bot.redaction import redact  # noqa: PLC0415 - keeps `newsbot --help` fast

        message, status = describe_failure(error)
        # An error may quote a Bot API answer, and an error page may echo the token.
        print(redact(f"newsbot {args.command}: {message}"), file=sys.stderr)
    return status
