"""``newsbot bench bot``: /summary latency and /help responsiveness, update to reply.

The real application polls a Bot API emulator over HTTP, with a real SQLite file and real
summaries. The emulator runs in its own process (``newsbot emulator``), as Telegram is another
machine: in the bot's process it would compete with the bot for the event loop. The users' side
goes through its control API. Telegram's flood limits are switched off in both the emulator and
the bot's rate limiter: they would pace the replies to 30/s and measure Telegram, not the bot.
Each request comes from its own chat.

Measured: ``/summary <id>`` of stored ~1,000-word articles, first uncached, then again cached;
then ``/help`` answered over and over (readers who wrote before, taking turns) while 200
uncached ``/summary`` requests from new chats are in flight, which shows whether summarising
ever blocks the event loop.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path

import httpx

from newsbot.benchmarks.report import Timings

DESCRIPTION = "bot: /summary latency (uncached, cached) and /help p95 while 200 summaries run"

_ARTICLE_WORDS = 1000
_UNCACHED_LIMIT_MS = 300
_CACHED_LIMIT_MS = 50
_HELP_LIMIT_MS = 100
# Readers taking turns at /help, so none meets the per-user flood limit.
_HELP_READERS = 40


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``newsbot bench bot``."""
    parser.add_argument(
        "--samples",
        type=int,
        default=40,
        help="sequential /summary requests (default: %(default)s)",
    )
    parser.add_argument(
        "--concurrent",
        type=int,
        default=200,
        help="/summary requests in flight during /help (default: %(default)s)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print one line per measure."""
    return asyncio.run(_measure(args.samples, args.concurrent))


def _long_articles(count: int) -> list[tuple[str, str]]:
    """``count`` distinct ~1,000-word articles made of the demo news, paragraphs rotated."""
    corpus = resources.files("newsbot.demo_data") / "corpus.jsonl"
    paragraphs = [
        paragraph
        for line in corpus.read_text(encoding="utf-8").splitlines()
        for paragraph in json.loads(line)["text"].split("\n\n")
    ]
    articles = []
    for number in range(count):
        rotated = paragraphs[number % len(paragraphs) :] + paragraphs[: number % len(paragraphs)]
        chosen: list[str] = []
        while sum(len(paragraph.split()) for paragraph in chosen) < _ARTICLE_WORDS:
            chosen.append(rotated[len(chosen) % len(rotated)])
        chosen.append(f"This is report number {number} in the benchmark.")
        articles.append((f"Benchmark story {number}", "\n\n".join(chosen)))
    return articles


@contextlib.asynccontextmanager
async def _emulator_process() -> AsyncIterator[str]:
    """``newsbot emulator`` without limits in a child process; yields its address."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "newsbot",
        "emulator",
        "--port",
        "0",
        "--no-limits",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        first_line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        address = re.search(r"http://[\d.]+:\d+", first_line.decode())
        if address is None:
            raise RuntimeError(f"newsbot emulator did not start: {first_line!r}")
        yield address[0]
    finally:
        process.terminate()
        await process.wait()


async def _measure(samples: int, concurrent: int) -> int:
    from bot.app import build_application
    from bot.ratelimit import NewsRateLimiter
    from bot.runner import serving
    from bot.settings import Settings
    from emulator import DEFAULT_TOKEN
    from storage import Store
    from storage.ingest.records import ArticleRecord

    with tempfile.TemporaryDirectory(prefix="newsbot-bench-bot-") as scratch:
        database = Path(scratch) / "bench.db"
        async with await Store.open(database) as store:
            await store.articles.ingest(
                ArticleRecord(text=text, title=title, source="Bench")
                for title, text in _long_articles(samples + concurrent)
            )
            article_ids = [article.id for article in await store.articles.latest(limit=10**6)]
        async with (
            _emulator_process() as address,
            # Every request in flight holds a connection while it waits for its reply, so the
            # pool must not make /help queue behind 200 /summary requests.
            httpx.AsyncClient(
                base_url=f"{address}/_emulator",
                timeout=130,
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=None),
            ) as control,
        ):
            settings = Settings(
                token=DEFAULT_TOKEN, api_base_url=f"{address}/bot", database_path=database
            )
            unlimited = NewsRateLimiter(
                overall_per_second=10**6, group_per_minute=10**6, chat_rate=10**6, chat_burst=10**6
            )
            application = build_application(settings, rate_limiter=unlimited)
            async with serving(application, poll_timeout=10):
                chat_ids = iter(range(10_000, 10**9))

                async def ask(text: str, chat_id: int | None = None) -> float:
                    chat_id = next(chat_ids) if chat_id is None else chat_id
                    started = time.perf_counter()
                    await control.post("/send", json={"chat_id": chat_id, "text": text})
                    sent = await control.get("/sent", params={"chat_id": chat_id, "timeout": 120})
                    if not sent.json()["result"]["messages"]:
                        raise TimeoutError(f"no reply to {text!r}")
                    return (time.perf_counter() - started) * 1000

                # Warm up (imports, connections, the summary thread) and make the readers who
                # will ask /help known, as most people asking for help have written before.
                readers = [next(chat_ids) for _ in range(_HELP_READERS)]
                for reader in readers:
                    await ask("/start", reader)
                sequential = article_ids[:samples]
                uncached = [await ask(f"/summary {article_id}") for article_id in sequential]
                cached = [await ask(f"/summary {article_id}") for article_id in sequential]
                in_flight = [
                    asyncio.create_task(ask(f"/summary {article_id}"))
                    for article_id in article_ids[samples : samples + concurrent]
                ]
                help_times: list[float] = []
                started = time.perf_counter()
                while not all(task.done() for task in in_flight):
                    reader = readers[len(help_times) % len(readers)]
                    help_times.append(await ask("/help", reader))
                await asyncio.gather(*in_flight)
                elapsed = time.perf_counter() - started
    print(f"articles: {samples + concurrent} of ~{_ARTICLE_WORDS} words; limits off (see --help)")
    print(Timings("/summary uncached", tuple(uncached)).line(_UNCACHED_LIMIT_MS))
    print(Timings("/summary cached", tuple(cached)).line(_CACHED_LIMIT_MS))
    print(
        Timings(f"/help during {concurrent} /summary", tuple(help_times)).line(_HELP_LIMIT_MS)
        + f"  ({concurrent} summaries in {elapsed:.1f} s)"
    )
    return 0
