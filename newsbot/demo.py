"""`newsbot demo`: the real bot, a local Bot API emulator and demo news, chatted with in a terminal.

Nothing here is a mock: the bot is the same Application `newsbot run` builds, it talks to the
emulator over HTTP, and the news sits in a real SQLite file. Only Telegram's servers are replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from bot.app import build_application
from bot.runner import serving
from bot.settings import Settings
from emulator import DEFAULT_TOKEN, BotApiEmulator, Limits, SentMessage
from storage import Store
from storage.ingest.records import BadRecord, Record
from storage.ingest.sources import open_file

__all__ = ["DEMO_CHAT_ID", "DemoRenderer", "as_recent_news", "run_demo"]

_LOGGER = logging.getLogger(__name__)

DEMO_CHAT_ID = 4242
DEMO_USER_NAME = "Alex"
DEMO_FILES = ("corpus.jsonl", "headlines.xml")
# The first reply can take a moment (the first summary warms the summariser); later replies
# of the same turn come right after it, so a short quiet period ends the turn.
_FIRST_REPLY_TIMEOUT = 30.0
_QUIET_PERIOD = 0.8

_BOLD = ("\033[1m", "\033[0m")
_DIM = ("\033[2m", "\033[0m")


@dataclass
class DemoRenderer:
    """Turns the bot's messages into terminal text; buttons become numbered choices.

    Numbers count from 1 over the buttons of the latest replies only, so "1" always means the
    first button on screen, and means nothing when the latest replies have no buttons.
    """

    color: bool
    choices: list[tuple[int, str]] = field(default_factory=list)

    def render(self, message: SentMessage) -> str:
        """One bot message (or edit) as readable lines, with its buttons numbered."""
        prefix = "bot (edited)> " if message.edited else "bot> "
        body = _render_entities(message.text, message.entities, color=self.color)
        lines = [prefix + body.replace("\n", "\n     ")]
        numbered = []
        for text, target in message.buttons:
            if target is None:
                continue
            if target.startswith(("http://", "https://")):
                numbered.append(f"[{text}: {target}]")
                continue
            self.choices.append((message.message_id, target))
            numbered.append(f"[{len(self.choices)}] {text}")
        if numbered:
            lines.append("     " + "  ".join(numbered))
        preview = message.link_preview_options or {}
        if preview.get("url") and not preview.get("is_disabled"):
            # Telegram would show the picture (or the page's preview) above the card.
            lines.insert(0, f"{prefix}[preview: {preview['url']}]")
        return "\n".join(lines)

    def new_turn(self) -> None:
        """Number the buttons of the next replies from 1 again."""
        self.choices.clear()

    def choice(self, typed: str) -> tuple[int, str] | None:
        """The button a typed number refers to, if it is one."""
        if typed.isdigit() and 1 <= int(typed) <= len(self.choices):
            return self.choices[int(typed) - 1]
        return None


def _utf16_to_index(text: str) -> list[int]:
    """Map each UTF-16 offset (Telegram's unit) to a Python string index."""
    mapping = []
    for index, character in enumerate(text):
        mapping.extend([index] * (2 if ord(character) > 0xFFFF else 1))
    mapping.append(len(text))
    return mapping


def _render_entities(text: str, entities: Sequence[Mapping[str, Any]], *, color: bool) -> str:
    """Bold and links made visible in plain text: ANSI bold on a terminal, URLs in brackets."""
    index_of = _utf16_to_index(text)
    inserts: list[tuple[int, int, str]] = []  # (position, order, text); closers before openers
    for entity in entities:
        start = index_of[min(int(entity["offset"]), len(index_of) - 1)]
        end = index_of[min(int(entity["offset"]) + int(entity["length"]), len(index_of) - 1)]
        kind = entity.get("type")
        if kind == "text_link":
            inserts.append((end, 0, f" <{entity['url']}>"))
        elif kind == "bold" and color:
            inserts.append((start, 1, _BOLD[0]))
            inserts.append((end, 0, _BOLD[1]))
        elif kind == "italic" and color:
            inserts.append((start, 1, _DIM[0]))
            inserts.append((end, 0, _DIM[1]))
    pieces = []
    cursor = 0
    for position, _, insert in sorted(inserts, key=lambda item: (item[0], item[1])):
        pieces.append(text[cursor:position])
        pieces.append(insert)
        cursor = position
    pieces.append(text[cursor:])
    return "".join(pieces)


# Digests count news as new by its published time, so the demo's news is re-dated to fall
# within the last day (order kept) whenever it is loaded.
_DEMO_SPAN = timedelta(hours=20)
_DEMO_NEWEST_AGE = timedelta(hours=1)


def as_recent_news(records: Iterable[Record], now: datetime) -> list[Record]:
    """``records`` re-dated to the day before ``now``, keeping their order and spacing ratios."""
    items = list(records)
    dates = [
        record.published_at
        for record in items
        if not isinstance(record, BadRecord) and record.published_at is not None
    ]
    if not dates:
        return items
    newest, oldest = max(dates), min(dates)
    scale = min(1.0, _DEMO_SPAN / (newest - oldest)) if newest > oldest else 1.0

    def redated(record: Record) -> Record:
        if isinstance(record, BadRecord) or record.published_at is None:
            return record
        age = (newest - record.published_at) * scale
        return replace(record, published_at=now - _DEMO_NEWEST_AGE - age)

    return [redated(record) for record in items]


async def load_demo_news(store: Store, now: datetime | None = None) -> int:
    """Ingest the demo articles and headlines shipped inside the package; returns how many."""
    total = 0
    now = now or datetime.now(UTC)
    data = resources.files("newsbot.demo_data")
    records: list[Record] = []
    for name in DEMO_FILES:
        with resources.as_file(data / name) as path:
            records.extend(open_file(Path(path)).records)
    report = await store.articles.ingest(as_recent_news(records, now))
    total += report.new_articles + report.new_headlines
    return total


async def _lines_from(stream: TextIO, *, interactive: bool) -> AsyncIterator[str]:
    while True:
        if interactive:
            try:
                line = await asyncio.to_thread(input, "you> ")
            except EOFError:
                return
        else:
            line = await asyncio.to_thread(stream.readline)
            if not line:
                return
        line = line.strip()
        if line:
            yield line


async def _collect_replies(emu: BotApiEmulator, *, first_timeout: float) -> list[SentMessage]:
    replies: list[SentMessage] = []
    timeout = first_timeout
    while True:
        try:
            replies.extend(await emu.wait_for_messages(DEMO_CHAT_ID, count=1, timeout=timeout))
        except TimeoutError:
            return replies
        timeout = _QUIET_PERIOD


async def chat_loop(
    emu: BotApiEmulator,
    lines: AsyncIterator[str],
    out: TextIO,
    renderer: DemoRenderer,
    *,
    echo: bool,
) -> None:
    """Send each line as the demo user (a number presses that button) and print the replies."""
    async for line in lines:
        if echo:
            print(f"you> {line}", file=out)
        pressed = renderer.choice(line)
        if pressed is not None:
            message_id, data = pressed
            query_id = emu.press_button(DEMO_CHAT_ID, message_id, data, user_id=DEMO_CHAT_ID)
            with contextlib.suppress(TimeoutError):
                answer = await emu.wait_for_callback_answer(query_id, timeout=_FIRST_REPLY_TIMEOUT)
                if answer.text:
                    print(f"bot (notice)> {answer.text}", file=out)
            replies = await _collect_replies(emu, first_timeout=_QUIET_PERIOD * 2)
        else:
            emu.send_message(
                chat_id=DEMO_CHAT_ID,
                text=line,
                user_id=DEMO_CHAT_ID,
                first_name=DEMO_USER_NAME,
                username="demo_reader",
            )
            replies = await _collect_replies(emu, first_timeout=_FIRST_REPLY_TIMEOUT)
        if not replies:
            print("bot> (no reply)", file=out)
        else:
            # New messages push the old keyboards off the screen: a number typed now must not
            # press a button the reader no longer sees (it goes to the bot as text instead).
            renderer.new_turn()
        for reply in replies:
            print(renderer.render(reply), file=out)
        out.flush()


async def run_demo(
    *,
    database: Path,
    stdin: TextIO,
    out: TextIO,
    interactive: bool,
    color: bool,
    script: Iterable[str] | None = None,
    reach: bool = False,
) -> int:
    """Start emulator and bot, load the demo news, play ``script``, then chat until input ends.

    ``reach`` adds the tour of a channel and an inline query after the script.
    """
    async with BotApiEmulator(
        token=DEFAULT_TOKEN, bot_username="newsbot_demo_bot", limits=Limits()
    ) as emu:
        settings = Settings(
            token=DEFAULT_TOKEN,
            api_base_url=emu.base_url,
            database_path=database,
            admin_ids=frozenset({DEMO_CHAT_ID}),
        )
        async with await Store.open(database) as store:
            loaded = await load_demo_news(store)
        print(
            f"newsbot demo: a local Telegram emulator at {emu.url}, the real bot, and "
            f"{loaded} demo news items in {database}.",
            file=out,
        )
        renderer = DemoRenderer(color=color)
        async with serving(build_application(settings), poll_timeout=1):
            if script is not None:
                await chat_loop(emu, _iterate(script), out, renderer, echo=True)
            if reach:
                await reach_tour(emu, out, renderer)
            if interactive:
                print(
                    "\nYour turn. Type messages as a Telegram user would (try /help, "
                    "/subscribe climate change, /latest, or paste a long text); type a "
                    "button's number to press it; Ctrl-D to quit.",
                    file=out,
                )
            if script is None or interactive:
                lines = _lines_from(stdin, interactive=interactive)
                await chat_loop(emu, lines, out, renderer, echo=not interactive)
    return 0


async def _iterate(items: Iterable[str]) -> AsyncIterator[str]:
    for item in items:
        if item.strip():
            yield item.strip()


DEMO_CHANNEL_ID = -1002424
DEMO_CHANNEL = "demo_harbour"


async def reach_tour(emu: BotApiEmulator, out: TextIO, renderer: DemoRenderer) -> None:
    """A channel the demo user manages, and sharing a story inline from any chat."""
    emu.add_chat(DEMO_CHANNEL_ID, "channel", title="Demo Harbour News", username=DEMO_CHANNEL)
    emu.set_chat_admins(DEMO_CHANNEL_ID, [DEMO_CHAT_ID])
    print(f"\n(Alex administers the channel @{DEMO_CHANNEL}, where the bot may post.)", file=out)
    lines = [f"/channel @{DEMO_CHANNEL} subscribe climate", f"/channel @{DEMO_CHANNEL} digest"]
    await chat_loop(emu, _iterate(lines), out, renderer, echo=True)
    for post in emu.sent_messages(DEMO_CHANNEL_ID):
        print(renderer.render(post).replace("bot> ", f"@{DEMO_CHANNEL}> "), file=out)

    print("\n(In any chat, Alex types the bot's name and a few words.)", file=out)
    print("you> @newsbot_demo_bot geneva", file=out)
    query_id = emu.send_inline_query(DEMO_CHAT_ID, "geneva")
    answer = await emu.wait_for_inline_answer(query_id, timeout=_FIRST_REPLY_TIMEOUT)
    for number, result in enumerate(answer.results[:3], 1):
        print(f"     ({number}) {result['title']} — {result.get('description', '')}", file=out)
    if answer.results:
        chosen = emu.choose_inline_result(query_id, answer.results[0]["id"], DEMO_CHAT_ID)
        shown = renderer.render(chosen).replace("bot> ", "you, via @newsbot_demo_bot> ")
        print(shown, file=out)
    out.flush()
