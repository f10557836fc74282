"""Summaries for the bot: computed off the event loop, cached per article in the Store.

Summarising is CPU-bound pure Python (about 50 ms for a 1,000-word article here). Measured on
the shared 2-core machine, bot and emulator in one process, /help answered while 200 uncached
/summary requests were in flight: one thread gave /help p95 69 ms (max 171 ms), two threads
90-114 ms, two processes 152 ms; all finished the 200 in 12-15 s. Under the GIL a second
thread adds no throughput, only contention with the event loop, and processes compete with it
for the two cores (and pay ~0.6 s to start and pickling per call). So the default is one
thread. A process pool (NEWSBOT_SUMMARY_PROCESSES=1) is there for hosts with more cores; note
that its workers re-import ``__main__``, so start the bot with the ``newsbot`` script.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import os
from collections.abc import Hashable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

from storage import Article, Store
from summaries import DEFAULT_ALGORITHM, Summary, summarize

__all__ = ["SUMMARY_LENGTHS", "Summarizer", "make_summary_executor"]

_LOGGER = logging.getLogger(__name__)

# Sentences per summary for each /settings choice.
SUMMARY_LENGTHS: dict[str, int] = {"short": 2, "medium": 3, "long": 5}
# Telegram shows at most 4096 characters; a summary card leaves room for title and related.
_MAX_SUMMARY_CHARS = 2500


def make_summary_executor(workers: int | None = None, *, processes: bool = False) -> Executor:
    """One summary thread by default, or a process pool (one worker per core by default)."""
    if not processes:
        return ThreadPoolExecutor(max_workers=workers or 1, thread_name_prefix="summaries")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["summaries"])
    return ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, mp_context=context)


class Summarizer:
    """Runs ``summaries.summarize`` in an executor; article summaries go through the cache."""

    def __init__(
        self, store: Store, executor: Executor, *, algorithm: str = DEFAULT_ALGORITHM
    ) -> None:
        self._store = store
        self._executor = executor
        self._algorithm = algorithm
        # Identical requests made while one is computing share its result instead of
        # queueing the same work again (a popular article asked for by many chats at once).
        self._in_flight: dict[Hashable, asyncio.Future[Any]] = {}

    async def summarize_text(
        self, text: str, *, sentences: int, title: str | None = None
    ) -> Summary:
        """Summarise arbitrary text (a pasted message or a fetched page) without caching."""
        call = functools.partial(
            summarize,
            text,
            algorithm=self._algorithm,
            sentences=sentences,
            max_chars=_MAX_SUMMARY_CHARS,
            title=title,
        )
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    async def summarize_article(
        self, article: Article, *, length: str = "medium"
    ) -> tuple[str, ...]:
        """Summary sentences for a stored article, from the cache when present."""
        sentences = SUMMARY_LENGTHS.get(length, SUMMARY_LENGTHS["medium"])
        key = (article.id, self._algorithm, sentences)
        pending = self._in_flight.get(key)
        if pending is not None:
            result: tuple[str, ...] = await asyncio.shield(pending)
            return result
        future: asyncio.Future[tuple[str, ...]] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            value = await self._cached_or_computed(article, sentences)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as error:
            future.set_exception(error)
            # Nobody else may be waiting; mark the exception retrieved so asyncio stays quiet.
            future.exception()
            raise
        else:
            future.set_result(value)
            return value
        finally:
            del self._in_flight[key]

    def shutdown(self) -> None:
        """Stop the executor's workers (only for an executor this summariser owns)."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    async def _cached_or_computed(self, article: Article, sentences: int) -> tuple[str, ...]:
        if not article.text.strip():
            # A headline stored without a body (its page could not be fetched): no summary.
            return ()
        cached = await self._store.articles.cached_summary(article.id, self._algorithm, sentences)
        if cached is not None:
            return cached
        summary = await self.summarize_text(article.text, sentences=sentences, title=article.title)
        await self._store.articles.cache_summary(
            article.id, self._algorithm, sentences, summary.sentences
        )
        return summary.sentences
