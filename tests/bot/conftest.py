"""The real bot in-process against the Bot API emulator, over real HTTP, on a real SQLite file."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import build_application
from bot.page_fetcher import FetchedPage, FetchError
from bot.ratelimit import NewsRateLimiter
from bot.runner import serving
from bot.services import NewsApplication
from bot.settings import Settings
from emulator.limits import Limits
from emulator.server import DEFAULT_TOKEN, BotApiEmulator
from emulator.state import CallbackAnswer, SentMessage
from newsbot.demo import as_recent_news
from storage import Store
from storage.ingest.jsonl import parse_jsonl

ROOT = Path(__file__).resolve().parents[2]
DEMO_CORPUS = ROOT / "newsbot" / "demo_data" / "corpus.jsonl"
BOT_USERNAME = "newsbot_demo_bot"  # the name tests/conftest.py gives the emulator's bot

# Telegram paces one chat to about a message a second after a burst of three, which a test of
# a six-message conversation would wait out for seconds. Only the tests of those limits (marked
# telegram_limits) keep them; the rest of the bot tests relax the per-chat pacing, on both
# sides. Overall and per-group limits stay Telegram's.
RELAXED_CHAT_RATE = 1000.0
RELAXED_CHAT_BURST = 1000

_chat_ids = itertools.count(1000)


def _keeps_telegrams_limits(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("telegram_limits") is not None


@pytest.fixture
def emulator_limits(request: pytest.FixtureRequest) -> Limits:
    """Telegram's limits with per-chat pacing relaxed, unless the test is about the limits."""
    if _keeps_telegrams_limits(request):
        return Limits()
    return Limits(chat_per_second=RELAXED_CHAT_RATE, chat_burst=RELAXED_CHAT_BURST)


@pytest.fixture
def rate_limiter(request: pytest.FixtureRequest) -> NewsRateLimiter:
    """The bot's limiter, relaxed as the emulator is (see emulator_limits)."""
    if _keeps_telegrams_limits(request):
        return NewsRateLimiter()
    return NewsRateLimiter(chat_rate=RELAXED_CHAT_RATE, chat_burst=RELAXED_CHAT_BURST)


@pytest.fixture(scope="session")
def summary_executor() -> Iterator[ThreadPoolExecutor]:
    """One executor for the whole run: a process pool per test would cost more than the tests."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="summaries") as executor:
        yield executor


@pytest.fixture
def emu(emulator: BotApiEmulator) -> BotApiEmulator:
    """The suite's running emulator (tests/conftest.py), under the bot tests' short name."""
    return emulator


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "newsbot.db"


@pytest.fixture
async def news(database_path: Path) -> None:
    """The demo corpus stored in the database the bot will open."""
    store = await Store.open(database_path)
    try:
        lines = DEMO_CORPUS.read_text(encoding="utf-8").splitlines()
        # Re-dated to the last day, as `newsbot demo` does: digests want news published lately.
        records = parse_jsonl(lines, name=DEMO_CORPUS.name)
        await store.articles.ingest(as_recent_news(records, datetime.now(UTC)))
    finally:
        await store.close()


class FakePages:
    """Web pages by URL: the edge of the world the fetcher talks to, kept in memory."""

    def __init__(self) -> None:
        self.pages: dict[str, FetchedPage] = {}

    async def fetch(self, url: str) -> FetchedPage:
        page = self.pages.get(url)
        if page is None:
            raise FetchError("Sorry, I could not read that page (HTTP 404).")
        return page

    async def close(self) -> None:
        pass


@pytest.fixture
def pages() -> FakePages:
    return FakePages()


@pytest.fixture
def settings(emu: BotApiEmulator, database_path: Path) -> Settings:
    return Settings(
        token=DEFAULT_TOKEN,
        api_base_url=emu.base_url,
        database_path=database_path,
        admin_ids=frozenset({999}),
    )


@pytest.fixture
async def bot_app(
    settings: Settings,
    summary_executor: ThreadPoolExecutor,
    pages: FakePages,
    rate_limiter: NewsRateLimiter,
) -> AsyncIterator[NewsApplication]:
    """The bot, polling the emulator until the test ends."""
    application = build_application(
        settings, summary_executor=summary_executor, fetcher=pages, rate_limiter=rate_limiter
    )
    async with serving(application, poll_timeout=10):
        yield application


@dataclass
class Conversation:
    """One chat with the bot, as a user sees it."""

    emu: BotApiEmulator
    chat_id: int
    user_id: int | None = None
    chat_type: str = "private"

    def send_only(self, text: str, **kwargs: object) -> dict[str, object]:
        return self.emu.send_message(
            chat_id=self.chat_id,
            text=text,
            user_id=self.user_id,
            chat_type=self.chat_type,
            **kwargs,  # type: ignore[arg-type]
        )

    async def send(self, text: str, count: int = 1, **kwargs: object) -> list[SentMessage]:
        """Write ``text`` and await ``count`` replies (sends or edits)."""
        self.send_only(text, **kwargs)
        return await self.emu.wait_for_messages(self.chat_id, count=count, timeout=10)

    async def ask(self, text: str, **kwargs: object) -> SentMessage:
        """Write ``text`` and await exactly one reply."""
        [reply] = await self.send(text, **kwargs)
        return reply

    async def press(self, message: SentMessage, label: str) -> CallbackAnswer:
        """Press the button whose label contains ``label`` and await the bot's answer."""
        data = next(data for text, data in message.buttons if label in text)
        assert data is not None
        query_id = self.emu.press_button(self.chat_id, message.message_id, data, self.user_id)
        return await self.emu.wait_for_callback_answer(query_id, timeout=10)

    async def press_data(self, message_id: int, data: str) -> CallbackAnswer:
        query_id = self.emu.press_button(self.chat_id, message_id, data, self.user_id)
        return await self.emu.wait_for_callback_answer(query_id, timeout=10)


@pytest.fixture
def chat(emu: BotApiEmulator) -> Conversation:
    """A private chat with a fresh id (so per-chat limits never carry over between tests)."""
    chat_id = next(_chat_ids)
    return Conversation(emu, chat_id)


@pytest.fixture
def new_chat_id() -> int:
    return next(_chat_ids)


async def settle(emu: BotApiEmulator, application: NewsApplication) -> None:
    """Await the bot fetching every queued update and finishing its handlers."""
    await emu.wait_for_updates_consumed(timeout=10)
    # The updater queues fetched updates before asking for more, so they are in the queue now.
    await asyncio.wait_for(application.update_queue.join(), timeout=10)
