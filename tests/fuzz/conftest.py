"""A real Store shared by the examples of one property: hypothesis calls a sync function many
times, so each property runs its examples on one event loop of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from typing import TypeVar

import pytest

from storage import Store
from storage.ingest.records import ArticleRecord, HeadlineRecord

T = TypeVar("T")

# Articles whose words include the hostile fragments' words, so topic queries really match.
ARTICLES = [
    ArticleRecord(
        title=title,
        text=f"{title}. " + "Officials said the talks on climate and energy would go on. " * 5,
        url=f"https://example.com/{number}",
        source="Example News",
        categories=categories,
    )
    for number, (title, categories) in enumerate(
        [
            ("Climate talks AND energy NOT over", ("climate",)),
            ("NEAR the border: title column drops", ("world",)),
            ("Ελληνικά νέα και مرحبا שלום", ()),
            ("Café owners fight the ﬁnal rent rise", ("business",)),
            ("DROP TABLE chats is not a headline", ()),
        ]
    )
]
HEADLINES = [HeadlineRecord(title="2024 budget OR tax rise * announced", url=None)]


class LoopStore:
    """A Store opened on a private event loop, with ``run`` to drive it from sync code."""

    def __init__(self, runner: asyncio.Runner, store: Store) -> None:
        self._runner = runner
        self.store = store

    def run(self, awaitable: Awaitable[T]) -> T:
        async def call() -> T:
            return await asyncio.wait_for(awaitable, timeout=30)

        return self._runner.run(call())


# Module scope: hypothesis runs every example against the same database (examples only add
# and remove their own subscriptions), and a fresh Store per example would dominate the time.
@pytest.fixture(scope="module")
def loop_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopStore]:
    """A real database in a temporary directory holding a few articles and headlines."""
    with asyncio.Runner() as runner:
        store = runner.run(Store.open(tmp_path_factory.mktemp("fuzz") / "fuzz.db"))
        runner.run(store.articles.ingest([*ARTICLES, *HEADLINES]))
        try:
            yield LoopStore(runner, store)
        finally:
            runner.run(store.close())
