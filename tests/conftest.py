"""Shared fixtures for the whole suite."""

import os
from collections.abc import AsyncIterator

import pytest
from hypothesis import HealthCheck, Phase, settings

from emulator import DEFAULT_TOKEN, BotApiEmulator, Limits
from tests.data import SHARED
from tests.local_server import LocalServer, running_local_server

EMULATOR_TOKEN = DEFAULT_TOKEN


@pytest.fixture
async def local_server() -> AsyncIterator[LocalServer]:
    """A real HTTP server on 127.0.0.1 serving what a test puts in its ``routes``."""
    async with running_local_server() as server:
        yield server


@pytest.fixture
def emulator_limits() -> Limits:
    """The flood limits the emulator enforces: Telegram's (tests/bot/conftest.py relaxes them)."""
    return Limits()


@pytest.fixture
async def emulator(emulator_limits: Limits) -> AsyncIterator[BotApiEmulator]:
    """A running Bot API emulator with Telegram's limits, on a free loopback port."""
    emu = BotApiEmulator(
        token=EMULATOR_TOKEN, bot_username="newsbot_demo_bot", limits=emulator_limits
    )
    await emu.start(host="127.0.0.1", port=0)
    try:
        yield emu
    finally:
        await emu.stop()


# Property tests run few examples in `make test` and at least 10,000 per property in
# `make fuzz` (HYPOTHESIS_PROFILE=fuzz). No deadline: the database and the event loop make
# single examples slow now and then on a shared machine, and a timing flake is not a finding.
# No explain phase: it traces every line of a failing example, which turns a one-second failure
# on a 10 KB input into a two-minute timeout.
_PHASES = tuple(phase for phase in Phase if phase is not Phase.explain)
# On CI the examples are derandomized: a submission lands or not on its own merits, never on the
# luck of the draw; developers' runs stay random and keep finding new inputs.
settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    phases=_PHASES,
    derandomize=bool(os.environ.get("CI")),
)
settings.register_profile(
    "fuzz",
    max_examples=10_000,
    deadline=None,
    phases=_PHASES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the shared-data tests in a clone without ../shared; give fuzzed properties an hour."""
    if not SHARED.is_dir():
        skip = pytest.mark.skip(reason=f"needs the shared data sets in {SHARED}")
        for item in items:
            if item.get_closest_marker("shared_data"):
                item.add_marker(skip)
    if os.environ.get("HYPOTHESIS_PROFILE") != "fuzz":
        return
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.timeout(3600))
