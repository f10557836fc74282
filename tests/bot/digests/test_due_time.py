"""The due time follows the reader's words: a slot later today fires today, however close, and
the scheduler's timer is moved to it at once; a slot that has just passed is tomorrow's.

Fast checks in the running bot (what is stored and when the timer will fire), and a slow one
that waits for the real minute: ``newsbot run`` delivering in ten time zones on time.
"""

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.digests.timer import JOB_NAME
from bot.services import NewsApplication
from emulator.server import DEFAULT_TOKEN, BotApiEmulator
from tests.bot.conftest import Conversation
from tests.bot.test_run_command import start_run, stop_run

# Whole and half-hour offsets, 45-minute ones (Kathmandu +5:45, Chatham +12:45/+13:45), a
# negative half hour (St John's -3:30) and zones either side of the date line.
ZONES = (
    "UTC",
    "Europe/Kyiv",
    "America/New_York",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Adelaide",
    "Pacific/Chatham",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
)


def next_minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


async def clear_of_the_minute_boundary(margin: float) -> datetime:
    """Now, at least ``margin`` seconds before the next minute starts (waiting if need be)."""
    now = datetime.now(UTC)
    left = (next_minute(now) - now).total_seconds()
    if left < margin:
        # A wall-clock boundary, not an event: the slot named below must still lie ahead.
        await asyncio.sleep(left + 0.05)
        now = datetime.now(UTC)
    return now


def local_words(slot: datetime, zone_name: str) -> tuple[str, str]:
    """The slot as the reader writes it (HH:MM there) and how the bot names its day."""
    zone = ZoneInfo(zone_name)
    local = slot.astimezone(zone)
    today = datetime.now(UTC).astimezone(zone).date()
    day = "today" if local.date() == today else "tomorrow"
    return f"{local:%H:%M}", day


async def stored_due(application: NewsApplication, chat_id: int) -> datetime | None:
    chat = await application.bot_data.services.store.chats.get(chat_id)
    assert chat is not None
    return chat.next_digest_at


def timer_fires_at(application: NewsApplication) -> datetime:
    assert application.job_queue is not None
    [job] = application.job_queue.get_jobs_by_name(JOB_NAME)
    assert job.next_t is not None
    return job.next_t


@pytest.mark.parametrize("zone", ZONES)
async def test_a_slot_a_minute_ahead_is_due_today_and_wakes_the_timer(
    bot_app: NewsApplication, chat: Conversation, zone: str
):
    now = await clear_of_the_minute_boundary(margin=5)
    slot = next_minute(now)
    local_time, day = local_words(slot, zone)

    reply = await chat.ask(f"/schedule {local_time} {zone}")

    assert await stored_due(bot_app, chat.chat_id) == slot
    assert timer_fires_at(bot_app) <= slot
    assert f"Next digest: {day} {local_time}" in reply.text


async def test_a_slot_that_just_passed_is_due_tomorrow_not_now(
    bot_app: NewsApplication, chat: Conversation
):
    now = await clear_of_the_minute_boundary(margin=5)
    passed = now.replace(second=0, microsecond=0) - timedelta(minutes=1)

    reply = await chat.ask(f"/schedule {passed:%H:%M} UTC")

    assert await stored_due(bot_app, chat.chat_id) == passed + timedelta(days=1)
    assert f"Next digest: tomorrow {passed:%H:%M}" in reply.text


async def test_a_time_button_and_a_zone_button_store_the_due_time_too(
    bot_app: NewsApplication, chat: Conversation
):
    offer = await chat.ask("/subscribe climate")
    assert await stored_due(bot_app, chat.chat_id) is not None  # the 08:00 offer
    await chat.press(offer, "18:00")
    [edited] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert "Next digest: " in edited.text
    due = await stored_due(bot_app, chat.chat_id)
    assert due is not None and due.astimezone(UTC).strftime("%H:%M") == "18:00"

    panel = await chat.ask("/settings")
    await chat.press(panel, "Asia/Tokyo")
    await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    due = await stored_due(bot_app, chat.chat_id)
    assert due is not None and (due + timedelta(hours=9)).strftime("%H:%M") == "18:00"


@pytest.mark.slow
async def test_newsbot_run_sends_digests_scheduled_a_minute_ahead_in_ten_zones_on_time(
    emulator: BotApiEmulator, tmp_path: Path, database_path: Path, news: None
):
    process = await start_run(
        tmp_path,
        {
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.url,
            "NEWSBOT_DB": str(database_path),
        },
    )
    chats = [Conversation(emulator, 7_000 + index) for index in range(20)]
    try:
        await emulator.wait_until(lambda: bool(emulator.commands), timeout=30)
        now = await clear_of_the_minute_boundary(margin=25)
        slot = next_minute(now)
        for index, chat in enumerate(chats):
            zone = ZONES[index % len(ZONES)]
            local_time, day = local_words(slot, zone)
            await chat.ask("/subscribe ukraine")
            reply = await chat.ask(f"/schedule {local_time} {zone}")
            assert f"Next digest: {day} {local_time}" in reply.text
        assert datetime.now(UTC) < slot, "the replies came too late to test the minute"
        arrived: dict[int, float] = {}

        async def digest_of(chat: Conversation) -> None:
            [digest] = await emulator.wait_for_messages(chat.chat_id, count=1, timeout=90)
            arrived[chat.chat_id] = time.time()
            assert digest.text.startswith("Your digest · ukraine")

        await asyncio.gather(*(digest_of(chat) for chat in chats))
    finally:
        _, log = await stop_run(process)
    assert process.returncode == 0, log
    late = {chat: seconds - slot.timestamp() for chat, seconds in arrived.items()}
    assert all(0 <= seconds < 10 for seconds in late.values()), late
