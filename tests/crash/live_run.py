"""A live-delivery run in its own process, for the kill -9 test: ``python live_run.py DB URL``.

It posts every queued live story with the real LiveDelivery, digest sender and bot client,
run after run until the queue is empty, then prints ``done``. The test kills it mid-run and
starts it again.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.digests.delivery import new_bot_client
from bot.live import LiveDelivery
from emulator.server import DEFAULT_TOKEN
from newsbot.benchmarks.live import live_card
from storage import Store


async def main(database: Path, base_url: str) -> None:
    store = await Store.open(database)
    bot = new_bot_client(DEFAULT_TOKEN, base_url)
    await bot.initialize()
    try:
        delivery = LiveDelivery(store, bot, live_card(None))
        for _ in range(10):
            await delivery.run_once()
            if not await store.live.pending_chats():
                break
    finally:
        await bot.shutdown()
        await store.close()
    print("done", flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2]))
