"""`newsbot emulator`: run the local Telegram Bot API emulator until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import signal
from typing import Any

from newsbot.errors import EXIT_USAGE, CommandError
from newsbot.options import port_number

DEFAULT_PORT = 8081  # the port Telegram's own local Bot API server uses


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `emulator` subcommand."""
    parser = subparsers.add_parser(
        "emulator",
        help="run a local Telegram Bot API emulator (no token, no internet)",
        description=(
            "Serve the Bot API methods newsbot uses, with Telegram's checks and flood limits, "
            "plus a control API under /_emulator/ to write as a user and read the bot's "
            "replies. Point the bot at it with TELEGRAM_API_BASE_URL."
        ),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=functools.partial(port_number, lowest=0),
        default=DEFAULT_PORT,
        help="port, 0 for any free one (default: %(default)s)",
    )
    parser.add_argument(
        "--token",
        default=None,
        help="the bot token it accepts (default: $TELEGRAM_BOT_TOKEN, else a built-in test token)",
    )
    parser.add_argument(
        "--bot-username",
        default="newsbot_demo_bot",
        help="the bot's @username (default: %(default)s)",
    )
    parser.add_argument(
        "--no-limits",
        action="store_true",
        help="do not answer 429 when Telegram's limits are exceeded",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the emulator in the foreground."""
    from emulator import DEFAULT_TOKEN, BotApiEmulator, Limits

    token = args.token or os.environ.get("TELEGRAM_BOT_TOKEN") or DEFAULT_TOKEN
    try:
        emulator = BotApiEmulator(
            token=token, bot_username=args.bot_username, limits=Limits(enforce=not args.no_limits)
        )
    except ValueError as error:
        raise CommandError(str(error), status=EXIT_USAGE) from error
    try:
        asyncio.run(_serve(emulator, args.host, args.port, show_token=token == DEFAULT_TOKEN))
    except OSError as error:
        raise CommandError(f"cannot listen on {args.host}:{args.port}: {error}") from error
    return 0


async def _serve(emulator: Any, host: str, port: int, *, show_token: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    await emulator.start(host=host, port=port)
    try:
        # Never echo a token the operator supplied: it may be a real one.
        token_line = emulator.token if show_token else "(the token you gave)"
        print(
            f"Bot API emulator for @{emulator.world.bot_username} on {emulator.url}\n"
            f"  TELEGRAM_API_BASE_URL={emulator.base_url}\n"
            f"  TELEGRAM_BOT_TOKEN={token_line}\n"
            f"  limits: {'on' if emulator.limits.enforce else 'off'}; "
            f"control API: {emulator.url}/_emulator/ (see docs/emulator.md)\n"
            "Ctrl-C stops it.",
            flush=True,
        )
        await stop.wait()
    finally:
        await emulator.stop()
