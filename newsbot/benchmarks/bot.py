"""``newsbot bench bot``: /summary latency and /help responsiveness, update to reply.

The real application polls an in-process Bot API emulator over HTTP, with a real SQLite file
and real summaries. Telegram's flood limits are switched off in both the emulator and the bot's
rate limiter: they would pace the replies to 30/s and measure Telegram, not the bot. Each
request comes from its own chat.

Measured: ``/summary <id>`` of stored ~1,000-word articles, first uncached, then again cached;
then ``/help`` answered over and over while 200 uncached ``/summary`` requests are in flight,
which shows whether summarising ever blocks the event loop.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from importlib import resources
from pathlib import Path

from newsbot.benchmarks.report import Timings

DESCRIPTION = "bot: /summary latency (uncached, cached) and /help p95 while 200 summaries run"

_ARTICLE_WORDS = 1000
_UNCACHED_LIMIT_MS = 300
_CACHED_LIMIT_MS = 50
_HELP_LIMIT_MS = 100


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``newsbot bench bot``."""
    parser.add_argument("--samples", type=int, default=40, help="sequential /summary requests")
    parser.add_argument(
        "--concurrent", type=int, default=200, help="/summary requests in flight during /help"
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


async def _measure(samples: int, concurrent: int) -> int:
    from bot.app import build_application
    from bot.ratelimit import NewsRateLimiter
    from bot.runner import serving
    from bot.settings import Settings
    from emulator import DEFAULT_TOKEN, BotApiEmulator, Limits
    from storage import Store
    from storage.ingest.records import ArticleRecord

    with tempfile.TemporaryDirectory(prefix="newsbot-bench-bot-") as scratch:
        database = Path(scratch) / "bench.db"
        async with await Store.open(database) as store:
            await store.ingest(
                ArticleRecord(text=text, title=title, source="Bench")
                for title, text in _long_articles(samples + concurrent)
            )
            article_ids = [article.id for article in await store.latest_articles(limit=10**6)]
        async with BotApiEmulator(token=DEFAULT_TOKEN, limits=Limits(enforce=False)) as emu:
            settings = Settings(
                token=DEFAULT_TOKEN, api_base_url=emu.base_url, database_path=database
            )
            unlimited = NewsRateLimiter(
                overall_per_second=10**6, group_per_minute=10**6, chat_rate=10**6, chat_burst=10**6
            )
            application = build_application(settings, rate_limiter=unlimited)
            async with serving(application, poll_timeout=10):
                chat_ids = iter(range(10_000, 10**9))

                async def ask(text: str) -> float:
                    chat_id = next(chat_ids)
                    started = time.perf_counter()
                    emu.send_message(chat_id=chat_id, text=text)
                    await emu.wait_for_messages(chat_id, count=1, timeout=120)
                    return (time.perf_counter() - started) * 1000

                await ask("/help")  # warm up: imports, first connection, first summary thread
                sequential = article_ids[:samples]
                uncached = [await ask(f"/summary {article_id}") for article_id in sequential]
                cached = [await ask(f"/summary {article_id}") for article_id in sequential]
                in_flight = [
                    asyncio.create_task(ask(f"/summary {article_id}"))
                    for article_id in article_ids[samples : samples + concurrent]
                ]
                help_times = []
                started = time.perf_counter()
                while not all(task.done() for task in in_flight):
                    help_times.append(await ask("/help"))
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
