"""Sending stays inside Telegram's limits: ~1/s per chat after a short burst, 30/s overall."""

import asyncio

import pytest

from bot.replies import Delivery, deliver

pytestmark = pytest.mark.telegram_limits


async def test_a_burst_to_one_chat_is_paced_without_429(bot_app, emu, chat):
    await chat.ask("/start")  # the chat exists in the emulator
    store = bot_app.bot_data.services.store
    outcomes = await asyncio.gather(
        *(deliver(bot_app.bot, store, chat.chat_id, f"message {n}") for n in range(5))
    )
    assert outcomes == [Delivery.SENT] * 5
    assert emu.stats.rate_limited == 0
    texts = [message.text for message in emu.sent_messages(chat.chat_id)[1:]]
    assert sorted(texts) == [f"message {n}" for n in range(5)]


async def test_a_fan_out_to_many_chats_stays_under_30_per_second(bot_app, emu, new_chat_id):
    chat_ids = [new_chat_id * 100 + n for n in range(45)]
    for chat_id in chat_ids:
        emu.add_chat(chat_id)
    store = bot_app.bot_data.services.store
    outcomes = await asyncio.gather(
        *(deliver(bot_app.bot, store, chat_id, "<b>news</b>") for chat_id in chat_ids)
    )
    assert outcomes == [Delivery.SENT] * len(chat_ids)
    assert emu.stats.rate_limited == 0


async def test_a_long_reply_is_split_under_4096(bot_app, emu, chat):
    emu.add_chat(chat.chat_id)
    store = bot_app.bot_data.services.store
    html = "\n\n".join(f"<b>Story {n}</b> " + "word " * 150 for n in range(12))
    assert await deliver(bot_app.bot, store, chat.chat_id, html) is Delivery.SENT
    parts = await emu.wait_for_messages(chat.chat_id, count=3, timeout=10)
    assert all(len(part.text) <= 4096 for part in parts)
    assert emu.stats.bad_requests == 0
