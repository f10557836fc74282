"""`newsbot run`: the Telegram bot, by long polling or behind a webhook."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
from typing import Any

from newsbot.errors import CommandError
from newsbot.options import add_database_option, database_path, port_number

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `run` subcommand."""
    parser = subparsers.add_parser(
        "run",
        help="run the Telegram bot (long polling, or --webhook URL)",
        description=(
            "Run the bot until Ctrl-C or SIGTERM. Configuration comes from the environment: "
            "TELEGRAM_BOT_TOKEN (required), TELEGRAM_API_BASE_URL, NEWSBOT_DB, "
            "NEWSBOT_ADMIN_IDS, NEWSBOT_FEEDS, NEWSBOT_LOG_LEVEL (see docs/bot.md). "
            "The database is created if missing, but not its directory."
        ),
    )
    parser.add_argument(
        "--webhook",
        metavar="URL",
        help="public https:// URL Telegram should post updates to (default: long polling)",
    )
    parser.add_argument(
        "--listen",
        default="0.0.0.0",
        help="address the webhook server binds (default: %(default)s)",
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=8443,
        help="port the webhook server binds (default: %(default)s)",
    )
    parser.add_argument(
        "--secret",
        help="webhook secret token (default: NEWSBOT_WEBHOOK_SECRET, else a random one per start)",
    )
    add_database_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Start the bot and block until it is stopped."""
    # Imported here so `newsbot --help` does not pay for telegram and the summarisers.
    from bot.runner import StartupError, WebhookOptions, run_bot
    from bot.settings import Settings

    environ = dict(os.environ)
    if args.db is not None:
        environ["NEWSBOT_DB"] = str(database_path(args))
    settings = Settings.from_env(environ)
    logging.getLogger().setLevel(settings.log_level)
    webhook = None
    if args.webhook:
        webhook = WebhookOptions(url=args.webhook, listen=args.listen, port=args.port)
        secret = args.secret or settings.webhook_secret
        if secret:
            webhook = dataclasses.replace(webhook, secret=secret)
    try:
        run_bot(settings, webhook=webhook)
    except StartupError as error:
        raise CommandError(str(error)) from error
    return 0
