"""Many readers while one writer ingests: no 'database is locked'; lookups never queue."""

import asyncio
import contextlib
from pathlib import Path

from storage import Store
from storage.database import READERS
from storage.ingest.records import ArticleRecord
from tests.raw_sql import connections


def batch(start: int, size: int) -> list[ArticleRecord]:
    return [
        ArticleRecord(
            title=f"Report {number} on harbour traffic",
            text=f"Ships number {number} entered the harbour. Traffic rose again.",
            url=f"https://example.com/{number}",
        )
        for number in range(start, start + size)
    ]


async def test_ingestion_and_queries_at_once_do_not_lock(store: Store) -> None:
    async def ingest() -> None:
        for start in range(0, 2000, 200):
            await store.articles.ingest(batch(start, 200))

    async def query() -> int:
        answered = 0
        for _ in range(40):
            await store.articles.search("harbour traffic")
            await store.articles.latest(topics=["harbour"], limit=5)
            await store.subscriptions.subscribe(1, "harbour pilots")
            answered += 1
        return answered

    results = await asyncio.wait_for(asyncio.gather(ingest(), query(), query()), timeout=60)
    assert results[1:] == [40, 40]
    assert len(await store.articles.latest(limit=3000)) == 2000


async def test_a_second_process_store_on_the_same_file_can_write(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    async with await Store.open(path) as first, await Store.open(path) as second:
        await asyncio.gather(
            first.articles.ingest(batch(0, 300)), second.articles.ingest(batch(300, 300))
        )
        assert len(await first.articles.latest(limit=1000)) == 600


async def test_a_chat_is_read_while_every_reader_is_held_by_long_work(store: Store) -> None:
    # Every update starts by asking who its chat is; a flood of searches and digests holding
    # the readers must not hold that up.
    await store.chats.ensure(42, language="de")
    async with contextlib.AsyncExitStack() as held:
        for _ in range(READERS):
            await held.enter_async_context(connections(store).read())
        chat = await asyncio.wait_for(store.chats.get(42), timeout=5)
    assert chat is not None and chat.language == "de"
