"""A digest run in its own process, for the kill -9 tests: ``python digest_run.py DB BASE_URL``.

It sends every due digest with the real scheduler and bot client (rate limiter included), run
after run until nothing is due, then prints ``done``. The test kills it mid-run and starts it
again; whatever the first process left behind must make the second finish the job exactly.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta
from pathlib import Path

from bot.digests.delivery import new_bot_client
from bot.digests.scheduler import DigestScheduler, SchedulerConfig
from emulator.server import DEFAULT_TOKEN
from storage import Store


async def main(database: Path, base_url: str) -> None:
    store = await Store.open(database)
    bot = new_bot_client(DEFAULT_TOKEN, base_url)
    await bot.initialize()
    try:
        scheduler = DigestScheduler(
            store, bot, None, config=SchedulerConfig(retry_delay=timedelta(0))
        )
        for _ in range(10):
            report = await scheduler.run_once()
            if report.chats_due == 0:
                break
    finally:
        await bot.shutdown()
        await store.close()
    print("done", flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2]))
