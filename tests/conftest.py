"""Shared fixtures for the whole suite."""

from collections.abc import AsyncIterator

import pytest

from emulator import BotApiEmulator, Limits

EMULATOR_TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A running Bot API emulator with Telegram's limits, on a free loopback port."""
    emu = BotApiEmulator(token=EMULATOR_TOKEN, bot_username="newsbot_demo_bot", limits=Limits())
    await emu.start(host="127.0.0.1", port=0)
    try:
        yield emu
    finally:
        await emu.stop()
