"""Scheduled digests end to end: a real SQLite file, the real bot client, the emulator over HTTP."""

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import ExtBot

from bot.digests.delivery import DeliveryOutcome
from bot.digests.scheduler import DigestScheduler, SchedulerConfig
from bot.ratelimit import NewsRateLimiter
from bot.summarizer import Summarizer
from emulator.server import DEFAULT_TOKEN, BotApiEmulator
from storage import Store
from storage.ingest.records import ArticleRecord

# The fan-out is measured against Telegram's own per-chat limits (see tests/bot/conftest.py).
pytestmark = pytest.mark.telegram_limits

REAL_NOW = datetime.now(UTC).replace(second=0, microsecond=0)


@pytest.fixture
async def bot(emu: BotApiEmulator, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[ExtBot[None]]:
    # As the application does: PTB's future retry_after type, without deprecation warnings.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    client: ExtBot[None] = ExtBot(
        DEFAULT_TOKEN, base_url=emu.base_url, rate_limiter=NewsRateLimiter()
    )
    await client.initialize()
    try:
        yield client
    finally:
        await client.shutdown()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "news.db")
    try:
        yield opened
    finally:
        await opened.close()


def story_lines(text: str) -> list[str]:
    """The numbered title lines of a digest message."""
    return [line for line in text.splitlines() if line[:1].isdigit()]


def article(title: str, source: str = "BBC", text: str | None = None) -> ArticleRecord:
    body = text or f"{title}. Officials said more details would follow later today."
    return ArticleRecord(
        body, title=title, source=source, url=f"https://example.org/{source}/{abs(hash(title))}"
    )


async def add_reader(
    store: Store,
    emu: BotApiEmulator,
    chat_id: int,
    topics: list[str],
    at: time,
    time_zone: str = "UTC",
) -> None:
    emu.add_chat(chat_id)
    await store.chats.ensure(chat_id)
    for topic in topics:
        await store.subscriptions.subscribe(chat_id, topic)
    await store.chats.update(chat_id, digest_time=at, time_zone=time_zone)


@pytest.fixture(scope="module")
def executor() -> Iterator[ThreadPoolExecutor]:
    """Real summaries, on threads (a process pool per test module would cost more than it saves)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield pool


@pytest.fixture
def scheduler(
    executor: ThreadPoolExecutor,
    bot: ExtBot[None],
) -> Callable[..., DigestScheduler]:
    def make(store: Store, **config: Any) -> DigestScheduler:
        summaries = Summarizer(store, executor)
        return DigestScheduler(store, bot, summaries, config=SchedulerConfig(**config))

    return make


async def test_a_due_digest_is_sent_once_grouped_by_topic_with_one_story_once(
    store: Store,
    emu: BotApiEmulator,
    bot: ExtBot[None],
    scheduler: Callable[..., DigestScheduler],
) -> None:
    await store.articles.ingest(
        [
            article("Ukraine and Russia agree to peace talks in Geneva", "BBC"),
            article("Ukraine and Russia agree to peace talks in Geneva", "Reuters"),
            article("Climate summit ends with a deal on coal"),
            article("Football club wins the cup"),
        ]
    )
    slot = (REAL_NOW + timedelta(minutes=1)).time()
    await add_reader(store, emu, 101, ["ukraine", "peace talks", "climate"], slot)
    await add_reader(store, emu, 102, ["football"], slot)
    runner = scheduler(store)
    before = await runner.run_once(now=REAL_NOW - timedelta(hours=1))
    assert before.chats_due == 0  # schedules computed, nothing due yet

    report = await runner.run_once(now=REAL_NOW + timedelta(minutes=1, seconds=20))

    assert report.digests_sent == 2
    [digest] = emu.sent_messages(101)
    assert story_lines(digest.text) == [
        "1. Ukraine and Russia agree to peace talks in Geneva",
        "2. Climate summit ends with a deal on coal",
    ]
    assert "also: Reuters" in digest.text
    labels = [label for label, _ in digest.buttons]
    assert "📄 1 Full summary" in labels and any(
        label.startswith("🔕 Unfollow") for label in labels
    )
    assert len(emu.sent_messages(102)) == 1
    # The next tick finds nothing due: the same digest never goes out twice.
    again = await runner.run_once(now=REAL_NOW + timedelta(minutes=2))
    assert again.chats_due == 0
    assert len(emu.sent_messages(101)) == 1
    assert emu.stats.rate_limited == 0


async def test_a_crash_mid_run_sends_the_rest_after_restart_and_nobody_gets_a_story_twice(
    tmp_path: Path,
    emu: BotApiEmulator,
    bot: ExtBot[None],
    scheduler: Callable[..., DigestScheduler],
) -> None:
    path = tmp_path / "news.db"

    store = await Store.open(path)
    await store.articles.ingest(
        [article(f"Storm story number {n} hits the coast", text=storm_text(n)) for n in range(14)]
    )
    slot = (REAL_NOW + timedelta(minutes=1)).time()
    chats = list(range(201, 209))
    for chat_id in chats:
        await add_reader(store, emu, chat_id, ["storm"], slot)
    await store.chats.update(chats[0], max_stories=20)
    # Long summaries, so the first chat's fourteen stories come in more than one message.
    await store.chats.update(chats[0], summary_length="long")
    first = scheduler(store, senders=2)
    await first.run_once(now=REAL_NOW - timedelta(hours=1))
    now = REAL_NOW + timedelta(minutes=1, seconds=5)

    run = asyncio.create_task(first.run_once(now=now))
    await emu.wait_until(lambda: emu.stats.messages_delivered >= 3, timeout=20)
    run.cancel()
    await asyncio.gather(run, return_exceptions=True)
    await store.close()
    delivered_before = emu.stats.messages_delivered
    assert delivered_before < 1 + len(chats)  # the crash really came mid-run

    store = await Store.open(path)
    try:
        second = scheduler(store)
        await second.run_once(now=now + timedelta(minutes=1))
    finally:
        await store.close()

    for chat_id in chats:
        texts = [message.text for message in emu.sent_messages(chat_id)]
        titles = [line.split(". ", 1)[1] for text in texts for line in story_lines(text)]
        assert titles, f"chat {chat_id} got no digest"
        assert len(titles) == len(set(titles)), f"chat {chat_id} got a story twice"
    # The first chat's long digest (20 stories) came in parts; all 14 stories, each once.
    first_chat_titles = {
        line.split(". ", 1)[1]
        for message in emu.sent_messages(chats[0])
        for line in story_lines(message.text)
    }
    assert len(first_chat_titles) == 14
    assert len(emu.sent_messages(chats[0])) > 1
    assert emu.stats.rate_limited == 0


async def test_a_missed_digest_is_caught_up_within_grace_and_older_ones_are_skipped(
    store: Store,
    emu: BotApiEmulator,
    bot: ExtBot[None],
    scheduler: Callable[..., DigestScheduler],
) -> None:
    await store.articles.ingest([article("Election results announced in the capital")])
    await add_reader(store, emu, 301, ["election"], REAL_NOW.time())
    await add_reader(store, emu, 302, ["election"], (REAL_NOW - timedelta(hours=5)).time())
    runner = scheduler(store, grace=timedelta(hours=6))
    await runner.run_once(now=REAL_NOW - timedelta(hours=6))

    # The bot was down; it comes back 3 h after chat 301's time and 8 h after chat 302's.
    report = await runner.run_once(now=REAL_NOW + timedelta(hours=3))

    assert report.digests_sent == 1 and report.skipped_late == 1
    assert len(emu.sent_messages(301)) == 1
    assert emu.sent_messages(302) == []
    chat = await store.chats.get(302)
    assert chat is not None and chat.next_digest_at is not None
    assert chat.next_digest_at > REAL_NOW + timedelta(hours=3)


async def test_a_blocked_chat_is_marked_inactive_and_the_others_still_get_theirs(
    store: Store,
    emu: BotApiEmulator,
    bot: ExtBot[None],
    scheduler: Callable[..., DigestScheduler],
) -> None:
    await store.articles.ingest([article("Space telescope finds a new planet")])
    slot = (REAL_NOW + timedelta(minutes=1)).time()
    await add_reader(store, emu, 401, ["planet"], slot)
    await add_reader(store, emu, 402, ["planet"], slot)
    emu.block_bot(401)
    runner = scheduler(store)
    await runner.run_once(now=REAL_NOW - timedelta(hours=1))

    report = await runner.run_once(now=REAL_NOW + timedelta(minutes=2))

    assert report.outcomes == {401: DeliveryOutcome.BLOCKED, 402: DeliveryOutcome.SENT}
    chat = await store.chats.get(401)
    assert chat is not None and not chat.active
    assert len(emu.sent_messages(402)) == 1


async def test_nothing_new_sends_nothing_unless_the_chat_asked_for_a_notice(
    store: Store,
    emu: BotApiEmulator,
    bot: ExtBot[None],
    scheduler: Callable[..., DigestScheduler],
) -> None:
    slot = (REAL_NOW + timedelta(minutes=1)).time()
    await add_reader(store, emu, 501, ["volcano"], slot)
    await add_reader(store, emu, 502, ["volcano"], slot)
    await store.chats.update(502, notify_empty=True)
    runner = scheduler(store)
    await runner.run_once(now=REAL_NOW - timedelta(hours=1))

    await runner.run_once(now=REAL_NOW + timedelta(minutes=2))

    assert emu.sent_messages(501) == []
    [notice] = emu.sent_messages(502)
    assert "Nothing new" in notice.text


async def test_fan_out_keeps_telegrams_limits_without_a_single_429(
    store: Store,
    emu: BotApiEmulator,
    bot: ExtBot[None],
    scheduler: Callable[..., DigestScheduler],
) -> None:
    await store.articles.ingest([article("Markets rally as inflation cools")])
    slot = (REAL_NOW + timedelta(minutes=1)).time()
    chats = list(range(600, 645))
    for chat_id in chats:
        await add_reader(store, emu, chat_id, ["inflation"], slot)
    runner = scheduler(store)
    await runner.run_once(now=REAL_NOW - timedelta(hours=1))

    report = await runner.run_once(now=REAL_NOW + timedelta(minutes=2))

    assert report.digests_sent == len(chats)
    assert emu.stats.messages_delivered == len(chats)
    assert emu.stats.rate_limited == 0


async def test_429s_and_dropped_connections_delay_but_never_duplicate_or_lose_a_digest(
    store: Store,
    emu: BotApiEmulator,
    bot: ExtBot[None],
    scheduler: Callable[..., DigestScheduler],
) -> None:
    await store.articles.ingest([article("Central bank holds interest rates")])
    slot = (REAL_NOW + timedelta(minutes=1)).time()
    chats = list(range(700, 706))
    for chat_id in chats:
        await add_reader(store, emu, chat_id, ["interest rates"], slot)
    runner = scheduler(store)
    await runner.run_once(now=REAL_NOW - timedelta(hours=1))
    emu.faults.rate_limit_storm(seconds=1.0, retry_after=1)
    emu.faults.drop_next(1, methods={"sendMessage"})

    report = await runner.run_once(now=REAL_NOW + timedelta(minutes=2))

    assert report.digests_sent == len(chats)
    assert [len(emu.sent_messages(chat_id)) for chat_id in chats] == [1] * len(chats)


async def test_a_message_telegram_refuses_is_logged_and_skipped_not_retried_forever(
    store: Store,
    emu: BotApiEmulator,
    bot: ExtBot[None],
    scheduler: Callable[..., DigestScheduler],
) -> None:
    await store.articles.ingest([article("Bridge reopens after repairs")])
    slot = (REAL_NOW + timedelta(minutes=1)).time()
    await add_reader(store, emu, 801, ["bridge"], slot)
    runner = scheduler(store)
    await runner.run_once(now=REAL_NOW - timedelta(hours=1))
    emu.faults.fail_next(1, status=400, methods={"sendMessage"})

    report = await runner.run_once(now=REAL_NOW + timedelta(minutes=2))
    later = await runner.run_once(now=REAL_NOW + timedelta(days=1, minutes=2))

    assert report.outcomes == {801: DeliveryOutcome.FAILED}
    assert later.digests_sent == 0  # the refused story is not tried again
    assert emu.sent_messages(801) == []


@pytest.fixture
def stopping(executor: ThreadPoolExecutor, bot: ExtBot[None]) -> Callable[..., DigestScheduler]:
    """A scheduler whose bot stops when ``keep_going`` says so."""

    def make(store: Store, keep_going: Callable[[], bool]) -> DigestScheduler:
        return DigestScheduler(store, bot, Summarizer(store, executor), keep_going=keep_going)

    return make


def storm_text(story: int) -> str:
    """A long article body, so a digest of many storm stories takes several messages."""
    return " ".join(
        # A word of its own per sentence: fourteen reports, not one report reworded.
        f"Sentence {n} of report {story} about the storm and the flood walls in z{story}x{n}."
        for n in range(40)
    )


async def interrupted_after_first_message(
    store: Store,
    emu: BotApiEmulator,
    scheduler: Callable[..., DigestScheduler],
    stopping: Callable[..., DigestScheduler],
    chat_id: int,
) -> datetime:
    """A long digest for ``chat_id`` stopped after its first message; returns the run's now."""
    await store.articles.ingest(
        [article(f"Storm story number {n} hits the coast", text=storm_text(n)) for n in range(14)]
    )
    await add_reader(store, emu, chat_id, ["storm"], (REAL_NOW + timedelta(minutes=1)).time())
    await store.chats.update(chat_id, max_stories=20)
    # Long summaries, so fourteen stories come in more than one message.
    await store.chats.update(chat_id, summary_length="long")
    first = scheduler(store)
    await first.run_once(now=REAL_NOW - timedelta(hours=1))
    now = REAL_NOW + timedelta(minutes=1, seconds=5)
    # The bot is told to stop once the first message is out.
    report = await stopping(store, keep_going=lambda: emu.stats.messages_delivered < 1).run_once(
        now=now
    )
    assert report.outcomes == {chat_id: DeliveryOutcome.INTERRUPTED}
    assert len(emu.sent_messages(chat_id)) == 1
    return now


async def test_an_interrupted_digest_is_finished_from_its_plan_not_rebuilt(
    store: Store,
    emu: BotApiEmulator,
    bot: ExtBot[None],
    scheduler: Callable[..., DigestScheduler],
    stopping: Callable[..., DigestScheduler],
) -> None:
    now = await interrupted_after_first_message(store, emu, scheduler, stopping, 901)
    # A bigger storm story arrives before the restart: a rebuild would rank it in.
    await store.articles.ingest([article("Storm: the biggest storm story of the storm season")])

    report = await scheduler(store).run_once(now=now + timedelta(minutes=1))

    assert report.outcomes == {901: DeliveryOutcome.SENT}
    titles = [
        line.split(". ", 1)[1]
        for message in emu.sent_messages(901)
        for line in story_lines(message.text)
    ]
    assert sorted(titles) == sorted(f"Storm story number {n} hits the coast" for n in range(14))
    # The window of the next digest starts where this one was built, so the late story is next.
    chat = await store.chats.get(901)
    assert chat is not None and chat.last_digest_at == now.replace(microsecond=0)


async def test_an_unfinished_digest_too_late_to_finish_gives_its_stories_back(
    store: Store,
    emu: BotApiEmulator,
    bot: ExtBot[None],
    scheduler: Callable[..., DigestScheduler],
    stopping: Callable[..., DigestScheduler],
) -> None:
    now = await interrupted_after_first_message(store, emu, scheduler, stopping, 902)
    queries = store.digests
    [first_message] = emu.sent_messages(902)
    all_planned = await queries.delivered_stories([902], since=REAL_NOW - timedelta(days=1))

    report = await scheduler(store).run_once(now=now + timedelta(hours=7))

    assert report.skipped_late == 1 and len(emu.sent_messages(902)) == 1
    left = await queries.delivered_stories([902], since=REAL_NOW - timedelta(days=1))
    assert len(left[902]) == len(story_lines(first_message.text)) < len(all_planned[902])
    assert await queries.digest_plans([902]) == {}
