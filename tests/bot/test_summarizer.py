"""The summariser: off the event loop, cached per article, identical requests computed once."""

import asyncio
from datetime import UTC, datetime

import pytest

from bot.summarizer import SUMMARY_LENGTHS, Summarizer, make_summary_executor
from storage import Store
from storage.ingest.records import ArticleRecord

TEXT = (
    "The harbour reopened on Monday after three days of closure caused by the storm. "
    "Ferries resumed their normal timetable, although two evening crossings were cancelled. "
    "Port officials said the damage to the northern pier was less serious than first feared. "
    "Repairs are expected to take two weeks and will cost about one million euros. "
    "Fishermen said the closure had cost them a week of income before the winter season. "
    "The regional government promised a compensation scheme for affected businesses."
)


@pytest.fixture
async def article(tmp_path):
    store = await Store.open(tmp_path / "s.db")
    await store.articles.ingest(
        [ArticleRecord(text=TEXT, title="Harbour reopens", published_at=datetime.now(UTC))]
    )
    [stored] = await store.articles.latest(limit=1)
    yield store, stored
    await store.close()


async def test_article_summary_is_cached_and_reused(article, summary_executor):
    store, stored = article
    summarizer = Summarizer(store, summary_executor)
    first = await summarizer.summarize_article(stored, length="short")
    assert 1 <= len(first) <= SUMMARY_LENGTHS["short"]
    assert await store.articles.cached_summary(stored.id, "news", SUMMARY_LENGTHS["short"]) == first
    assert await summarizer.summarize_article(stored, length="short") == first


async def test_concurrent_requests_for_one_article_share_one_computation(article, summary_executor):
    store, stored = article
    summarizer = Summarizer(store, summary_executor)
    results = await asyncio.gather(*(summarizer.summarize_article(stored) for _ in range(20)))
    assert len(set(results)) == 1


async def test_process_pool_summarises_like_the_threads(article, summary_executor):
    store, _ = article
    processes = make_summary_executor(1, processes=True)
    try:
        in_process = await Summarizer(store, processes).summarize_text(TEXT, sentences=2)
    finally:
        processes.shutdown()
    in_thread = await Summarizer(store, summary_executor).summarize_text(TEXT, sentences=2)
    assert in_process == in_thread
