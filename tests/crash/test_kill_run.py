"""kill -9 of the real ``newsbot run`` while many chats are part-way through multi-message
digests with slow sends, then a restart: every chat gets each of its stories exactly once.

The one allowed repeat is the at-least-once edge: a message whose request was in flight at the
kill went out, but the bot died before it could note that, so the restart sends it again,
whole and identical. Nothing else repeats and nothing is missing. News that arrives while the
bot is down belongs to the next digest: the restart finishes the digests as they were planned,
not rebuilt (a rebuild ranks the new stories in).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from emulator.server import DEFAULT_TOKEN, BotApiEmulator
from newsbot.benchmarks.faults import prepare_due_digests, story_numbers
from storage import Store
from storage.ingest.records import ArticleRecord
from tests.bot.test_run_command import start_run, stop_run
from tests.crash.test_kill import assert_every_story_once

CHATS = 40
# Each send to Telegram takes this long, so many digests are half-way at any moment.
SEND_SECONDS = 0.15


def stories_by_message(emulator: BotApiEmulator, chat_id: int) -> list[tuple[str, list[int]]]:
    """Each message the chat received: its text and the story numbers it shows."""
    return [
        (message.text, story_numbers(message.text)) for message in emulator.sent_messages(chat_id)
    ]


async def ingest_late_news(database: Path, topics: set[str]) -> None:
    """One new story per topic, stored while the bot is down (numbered from 1000)."""
    records = [
        ArticleRecord(
            text=f"Report {1000 + index} on {topic}: an unexpected turn late tonight, "
            f"officials said, with details to follow on the {topic} story number {index}.",
            title=f"Report N{1000 + index}: {topic} late news",
            url=f"https://news.example.org/late/{topic}",
            source="Late Wire",
        )
        for index, topic in enumerate(sorted(topics))
    ]
    async with await Store.open(database) as store:
        report = await store.articles.ingest(records, now=datetime.now(UTC))
    assert report.new_articles == len(records)


def received(emulator: BotApiEmulator, expected: dict[int, set[int]]) -> dict[int, set[int]]:
    return {
        chat_id: {n for _, numbers in stories_by_message(emulator, chat_id) for n in numbers}
        for chat_id in expected
    }


def part_way(emulator: BotApiEmulator, expected: dict[int, set[int]]) -> list[int]:
    """Chats that have some of their stories but not all."""
    got = received(emulator, expected)
    return [chat for chat, stories in got.items() if 0 < len(stories) < len(expected[chat])]


def all_received(emulator: BotApiEmulator, expected: dict[int, set[int]]) -> bool:
    got = received(emulator, expected)
    return all(stories <= got[chat_id] for chat_id, stories in expected.items())


async def test_newsbot_run_killed_mid_digests_sends_each_story_once_after_restart(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    database = tmp_path / "news.db"
    expected = await prepare_due_digests(database, CHATS, datetime.now(UTC))
    for chat_id in expected:
        emulator.add_chat(chat_id)
    emulator.faults.delay_share(1.0, seconds=SEND_SECONDS, methods={"sendMessage"})
    environ = {
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
        "TELEGRAM_API_BASE_URL": emulator.url,
        "NEWSBOT_DB": str(database),
        # Nobody reads the killed process's pipes: keep its output small.
        "NEWSBOT_LOG_LEVEL": "WARNING",
    }

    first = await start_run(tmp_path, environ)
    try:
        # Killed while several chats have some of their digest's messages but not all.
        await emulator.wait_until(lambda: len(part_way(emulator, expected)) >= 6, timeout=90)
    finally:
        first.kill()
        await asyncio.wait_for(first.wait(), timeout=10)
    await ingest_late_news(database, {"climate", "energy", "football", "markets"})

    second = await start_run(tmp_path, environ)
    try:
        await emulator.wait_until(lambda: all_received(emulator, expected), timeout=120)
    finally:
        _, log = await stop_run(second)
    assert second.returncode == 0, log

    assert_every_story_once(
        {
            chat_id: [text for text, _ in stories_by_message(emulator, chat_id)]
            for chat_id in expected
        },
        expected,
    )
