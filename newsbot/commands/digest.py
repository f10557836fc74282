"""`newsbot digest --chat ID [--dry-run]`: what a chat's digest holds now, and send it."""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.digests.formatting import DigestMessage
    from storage import Store

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
    parser.add_argument("--db", type=Path, help="database file (default: $NEWSBOT_DB)")
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
    from storage import Store, default_database_path
    from storage.digests import DigestQueries

    now = datetime.now(UTC)
    async with await Store.open(args.db or default_database_path()) as store:
        chat = await DigestQueries(store.database).digest_chat(args.chat)
        if chat is None:
            print(f"newsbot digest: no chat {args.chat} in the database", file=sys.stderr)
            return 1
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
        if args.dry_run:
            return 0
        return await _send(store, chat.id, digest.messages, chat.message_thread_id, now)


async def _send(
    store: Store,
    chat_id: int,
    messages: Sequence[DigestMessage],
    thread_id: int | None,
    now: datetime,
) -> int:
    from bot.digests.delivery import DeliveryOutcome, send_with_new_bot
    from bot.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"newsbot digest: {error} (or use --dry-run)", file=sys.stderr)
        return 2
    outcome = await send_with_new_bot(
        settings.token,
        settings.api_base_url,
        store,
        chat_id,
        messages,
        at=now,
        message_thread_id=thread_id,
    )
    print(f"sent: {outcome.value}")
    return 0 if outcome in (DeliveryOutcome.SENT, DeliveryOutcome.EMPTY) else 1
