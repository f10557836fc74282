"""`newsbot digest --chat ID [--dry-run]`: what a chat's digest holds now, and send it."""

from __future__ import annotations

import argparse
import asyncio
import html
import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from newsbot.errors import CommandError
from newsbot.options import add_database_option, database_path

if TYPE_CHECKING:
    from bot.digests.formatting import DigestMessage
    from bot.settings import Settings
    from storage import Store
    from storage.models import Chat

_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `digest` subcommand."""
    parser = subparsers.add_parser(
        "digest",
        help="show (and send) a chat's digest now",
        description=(
            "Build the chat's digest as the scheduler would now: new matching stories since its "
            "last digest (or the last 24 hours). Without --dry-run it is sent through the Bot "
            "API (TELEGRAM_BOT_TOKEN) and logged, so the scheduled digest will not repeat it."
        ),
    )
    parser.add_argument("--chat", type=int, required=True, help="the chat's Telegram id")
    parser.add_argument(
        "--dry-run", action="store_true", help="only show it: nothing is sent or logged"
    )
    add_database_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the digest; send it unless --dry-run."""
    return asyncio.run(_digest(args))


def as_text(message_html: str) -> str:
    """Telegram HTML as readable terminal text: links keep their address, tags go."""
    # Parentheses, not angle brackets: the tag stripping below must not take the address.
    text = _LINK.sub(lambda match: f"{match[2]} ({match[1]})", message_html)
    return html.unescape(_TAG.sub("", text))


async def _digest(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor
    from datetime import UTC

    from bot.digests.builder import DigestBuilder
    from bot.summarizer import Summarizer
    from storage import Store

    # Sending needs a token and a reachable Bot API: find out before printing a digest that
    # could not go anywhere.
    settings = None if args.dry_run else await _sending_settings()
    now = datetime.now(UTC)
    async with await Store.open(database_path(args), create=False) as store:
        chat = await store.chats.get(args.chat)
        if chat is None:
            raise CommandError(f"no chat {args.chat} in the database")
        with ThreadPoolExecutor(max_workers=1) as executor:
            builder = DigestBuilder(store, Summarizer(store, executor), now=now)
            [digest] = await builder.build([chat])
        if not digest.topics:
            print(f"chat {chat.id} follows no topics")
            return 0
        if not digest.messages:
            print(f"nothing new for chat {chat.id} ({', '.join(digest.topics)})")
            return 0
        for number, message in enumerate(digest.messages, start=1):
            if len(digest.messages) > 1:
                print(f"--- message {number} of {len(digest.messages)} ---")
            print(as_text(message.text))
            labels = [button.label for row in message.buttons for button in row]
            print("[" + "] [".join(labels) + "]")
        if settings is None:
            return 0
        return await _send(settings, store, chat, digest.messages, now)


async def _sending_settings() -> Settings:
    from bot.health import TelegramCheckError, check_bot_identity
    from bot.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError as error:
        raise CommandError(f"{error} (or use --dry-run)", status=2) from error
    try:
        await check_bot_identity(settings)
    except TelegramCheckError as error:
        raise CommandError(f"{error}; nothing was sent (or use --dry-run)") from error
    return settings


async def _send(
    settings: Settings,
    store: Store,
    chat: Chat,
    messages: Sequence[DigestMessage],
    now: datetime,
) -> int:
    from bot.digests.delivery import DeliveryOutcome, send_with_new_bot

    outcome = await send_with_new_bot(
        settings.token,
        settings.api_base_url,
        store,
        chat.id,
        messages,
        at=now,
        message_thread_id=chat.message_thread_id,
    )
    print(f"sent: {outcome.value}")
    return 0 if outcome in (DeliveryOutcome.SENT, DeliveryOutcome.EMPTY) else 1
