"""With the operator's logging at INFO, a real conversation leaves neither the bot token nor
anything a user wrote in the log."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator

import pytest

from emulator.server import DEFAULT_TOKEN
from newsbot.logs import configure_logging
from tests.bot.conftest import settle

SECRET_WORDS = ("zanzibarquux", "Mxyzptlk-private", "wombat-diary")


@pytest.fixture
def info_log() -> Iterator[io.StringIO]:
    """The entry point's logging set-up at INFO, writing to a buffer; restored afterwards."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, logging.getLogger("httpx").level)
    stream = io.StringIO()
    configure_logging({"NEWSBOT_LOG_LEVEL": "INFO"}, stream=stream)
    try:
        yield stream
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        logging.getLogger("httpx").setLevel(saved[2])


async def test_an_info_log_holds_no_token_and_no_user_text(bot_app, emu, chat, info_log, pages):
    await chat.ask("/start")
    await chat.ask(f"/subscribe {SECRET_WORDS[0]}")
    await chat.ask(f"/schedule 25:00 {SECRET_WORDS[1]}")
    await chat.ask(f"/summary https://example.com/{SECRET_WORDS[2]}")
    pasted = f"My {SECRET_WORDS[2]} says: " + "The council met on Monday to talk. " * 40
    chat.send_only(pasted)
    await settle(emu, bot_app)
    await emu.wait_for_messages(chat.chat_id, count=1, timeout=30)
    # The digest tick logs each run at INFO; await one rather than the first scheduled tick,
    # which a quick conversation can end before.
    [tick] = bot_app.job_queue.get_jobs_by_name("digests")
    await tick.run(bot_app)
    runs = [task for task in asyncio.all_tasks() if task.get_name() == "digest-run"]
    await asyncio.wait_for(asyncio.gather(*runs), timeout=10)

    log = info_log.getvalue()
    assert "INFO" in log, "the conversation should have logged something at INFO"
    assert DEFAULT_TOKEN not in log
    assert DEFAULT_TOKEN.split(":", 1)[1] not in log
    for word in SECRET_WORDS:
        assert word not in log
