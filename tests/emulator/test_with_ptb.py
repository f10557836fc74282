"""python-telegram-bot talks to the emulator as to Telegram (the only emulator test using PTB)."""

import asyncio
from datetime import timedelta

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter

from emulator import BotApiEmulator


@pytest.fixture
async def bot(emulator: BotApiEmulator):
    async with Bot(emulator.token, base_url=emulator.base_url) as bot:
        yield bot


async def test_ptb_sends_html_with_an_inline_keyboard(emulator, bot):
    emulator.send_message(chat_id=1001, text="/start")
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Read", callback_data="read:1"),
                InlineKeyboardButton("Source", url="https://example.org"),
            ]
        ]
    )
    message = await bot.send_message(
        1001,
        "<b>Title</b>\nSummary &lt;3",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    assert message.text == "Title\nSummary <3"
    assert message.entities[0].type == "bold"
    [sent] = await emulator.wait_for_messages(1001, count=1, timeout=5)
    assert sent.buttons == [("Read", "read:1"), ("Source", "https://example.org")]
    assert sent.disable_web_page_preview is True


async def test_ptb_long_polls_for_updates(emulator, bot):
    assert (await bot.get_me()).username == "newsbot_demo_bot"
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await emulator.wait_until(lambda: emulator.stats.requests["getUpdates"] == 1, timeout=5)
    emulator.send_message(chat_id=1001, text="/help")
    [update] = await asyncio.wait_for(poll, timeout=5)
    assert update.message.text == "/help"
    assert update.message.entities[0].type == "bot_command"


async def test_ptb_sees_429_as_retry_after_and_403_as_forbidden(emulator, bot, monkeypatch):
    # Without the opt-in, PTB 22 warns on every RetryAfter (an error under our warning policy).
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    emulator.send_message(chat_id=1001, text="/start")
    for _ in range(3):
        await bot.send_message(1001, "burst")
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(1001, "one too many")
    assert raised.value.retry_after == timedelta(seconds=1)
    emulator.block_bot(1001)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1001, "hello?")


async def test_ptb_sees_bad_html_as_bad_request(emulator, bot):
    emulator.send_message(chat_id=1001, text="/start")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(1001, "<b>oops", parse_mode=ParseMode.HTML)


async def test_ptb_sees_a_wrong_token_as_invalid_token(emulator):
    bot = Bot("123456:NOT-THE-TOKEN", base_url=emulator.base_url)
    try:
        with pytest.raises(InvalidToken, match="rejected by the server"):
            await bot.initialize()
    finally:
        await bot.shutdown()
