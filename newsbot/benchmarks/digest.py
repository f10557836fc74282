"""``newsbot bench digest``: build and deliver scheduled digests for many chats at once.

1. A fresh database: N articles (those of ``--data FILE``, such as the BBC and CNN sets, then
   spliced synthetic ones; by default all generated from the demo news inside the package, see
   newsbot/benchmarks/corpus.py; some re-published by a second source so story grouping has
   work) and C chats that each follow
   1-4 topics in assorted time zones, all due now; some want 20 stories, so their digests
   come in several messages.
2. Warm-up: one pass computes the summaries (real Sumy, in a process pool) and related
   headlines the digests need; they are cached, as they are in a running bot.
3. Build: every due chat's digest, paged exactly as the scheduler pages them (selection,
   ranking, formatting, summaries from the cache): digests per second.
4. Deliver: the real scheduler sends through the real bot client and rate limiter to the Bot
   API emulator with Telegram's limits on (its own thread and event loop), for a fixed time:
   messages per second, 429 answers, the shortest gap between two messages to one chat.
5. First message after the slot (before the others, on the idle bot, its own small database):
   rounds of chats whose slot comes a few seconds later, the scheduler woken by a timer at the
   slot as the running bot's is: seconds from the slot to each chat's first message, p50/p95.
Throughout: peak memory (RSS) and event-loop lag (a 10 ms ticker's delays, p99).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import itertools
import multiprocessing
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from newsbot.benchmarks import live
from newsbot.benchmarks.corpus import BenchDataError, Corpus, add_data_argument, load_corpus
from newsbot.benchmarks.report import peak_rss_mb, run_in_workdir

DESCRIPTION = "digests: build rate, delivery rate under Telegram's limits, memory, loop lag"
TIME_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Kyiv",
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Africa/Lagos",
)
# Title words too common to be a topic anyone follows.
_DULL = frozenset(
    {
        "about", "after", "again", "against", "before", "being", "between", "could", "first",
        "found", "their", "there", "these", "those", "three", "under", "where", "which",
        "while", "would", "years", "people", "still", "other", "world", "says", "said",
    }
)  # fmt: skip
TARGET_BUILD_PER_SECOND = 2000.0
TARGET_MESSAGES_PER_SECOND = 27.0
TARGET_PEAK_MB = 300.0
TARGET_LAG_P99_MS = 100.0
TARGET_FIRST_MESSAGE_SECONDS = 5.0
# The latency rounds: this many slots of this many chats (in TIME_ZONES), as in issue #12.
LATENCY_ROUNDS = 3
LATENCY_CHATS = 40
_T = TypeVar("_T")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the digest benchmark."""
    parser.add_argument("--chats", type=int, default=10_000, help="chats (default: 10000)")
    parser.add_argument("--articles", type=int, default=5_000, help="articles (default: 5000)")
    parser.add_argument(
        "--deliver-seconds",
        type=float,
        default=30.0,
        help="how long to deliver to the emulator (default: 30)",
    )
    parser.add_argument("--workdir", type=Path, help="keep the database here (default: temp)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    add_data_argument(parser)
    live.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print a report; exit 1 when a target is missed, 2 on bad --data."""
    if args.live:
        return live.run(args)
    try:
        corpus = load_corpus(args.data, articles=args.articles, seed=args.seed)
    except BenchDataError as error:
        print(f"newsbot bench digest: {error}", file=sys.stderr)
        return 2
    bench = functools.partial(_bench, corpus=corpus)
    return run_in_workdir(bench, args, prefix="newsbot-bench-digest-")


class LoopLag:
    """Samples how late a 10 ms sleep wakes up: the event loop's responsiveness."""

    def __init__(self, interval: float = 0.01) -> None:
        self._interval = interval
        self.samples_ms: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(self._interval)
            self.samples_ms.append(max(0.0, (loop.time() - started - self._interval) * 1000))

    def start(self) -> None:
        """Begin sampling."""
        self._task = asyncio.create_task(self._watch())

    async def stop(self) -> None:
        """Stop sampling."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def percentile(self, fraction: float) -> float:
        """The nearest-rank percentile of the samples, in ms."""
        ordered = sorted(self.samples_ms) or [0.0]
        return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _serve_emulator(connection: Connection, chats: int) -> None:
    """Child process: an emulator with Telegram's limits that knows chats 1..chats."""
    from emulator.limits import Limits
    from emulator.server import DEFAULT_TOKEN, BotApiEmulator

    async def serve() -> None:
        emulator = BotApiEmulator(DEFAULT_TOKEN, limits=Limits())
        await emulator.start(port=0)
        for chat_id in range(1, chats + 1):
            emulator.add_chat(chat_id)
        connection.send(emulator.base_url)
        await asyncio.to_thread(connection.recv)
        connection.send(emulator.stats.as_dict())
        await emulator.stop()

    asyncio.run(serve())


class EmulatorProcess:
    """The Bot API emulator in its own process, so its memory and CPU are not the bot's."""

    def __init__(self, chats: int) -> None:
        from emulator.server import DEFAULT_TOKEN

        self.token = DEFAULT_TOKEN
        self._connection, child = multiprocessing.Pipe()
        context = multiprocessing.get_context("spawn")
        self._process = context.Process(target=_serve_emulator, args=(child, chats), daemon=True)
        self.base_url = ""

    async def start(self) -> None:
        """Start the process and wait until it serves."""
        self._process.start()
        self.base_url = await asyncio.to_thread(self._connection.recv)

    async def stop(self) -> dict[str, Any]:
        """Stop serving; return the emulator's counters."""
        if not self._process.is_alive():
            return {}
        self._connection.send("stop")
        stats: dict[str, Any] = await asyncio.to_thread(self._connection.recv)
        await asyncio.to_thread(self._process.join, 10)
        return stats


def _articles(corpus: Corpus, count: int, rng: random.Random) -> Iterator[Any]:
    """The corpus's articles first, then spliced ones; ~8% re-published by a second source."""
    from storage.ingest.records import ArticleRecord

    items = corpus.articles
    made = 0
    index = 0
    while made < count:
        if index < len(items):
            item = items[index]
            title, text, topic = item.title, item.text, item.topic
        else:
            first, second = rng.choice(corpus.titles).split(), rng.choice(corpus.titles).split()
            title = " ".join(first[: max(2, len(first) // 2)] + second[len(second) // 2 :])
            text = " ".join(rng.choices(corpus.sentences, k=12))
            topic = None
        index += 1
        categories = (topic,) if topic else ()
        yield ArticleRecord(
            text,
            title=title,
            source="Wire A",
            url=f"https://a.example/{index}",
            categories=categories,
        )
        made += 1
        if made < count and rng.random() < 0.08:
            yield ArticleRecord(
                text + " Additional reporting by Wire B.",
                title=title,
                source="Wire B",
                url=f"https://b.example/{index}",
                categories=categories,
            )
            made += 1


def _topics(corpus: Corpus, rng: random.Random, count: int = 60) -> list[str]:
    words: Counter[str] = Counter()
    for title in corpus.titles:
        for raw in title.lower().split():
            word = raw.strip(".,:;!?'\"()")
            if len(word) >= 5 and word.isalpha() and word not in _DULL:
                words[word] += 1
    categories = Counter(article.topic for article in corpus.articles if article.topic)
    topics = [topic for topic, _ in categories.most_common(5)]
    topics += [word for word, _ in words.most_common(count) if word not in topics]
    topics = topics[:count]
    rng.shuffle(topics)
    return topics


async def _prepare(
    args: argparse.Namespace, corpus: Corpus, path: Path, now: datetime
) -> list[int]:
    from bot.digests.schedule import DigestSchedule, latest_due_at_or_before, zone
    from storage import Store
    from storage.digests import NewReader

    rng = random.Random(args.seed)
    async with await Store.open(path) as store:
        started = time.perf_counter()
        report = await store.articles.ingest(
            _articles(corpus, args.articles, rng), now=now - timedelta(hours=2)
        )
        print(
            f"articles stored             {report.new_articles} in "
            f"{time.perf_counter() - started:.1f} s"
        )
        topics = _topics(corpus, rng)
        # A few topics are far more popular than the rest, as with real readers.
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(topics))]
        readers = []
        slot_base = now - timedelta(minutes=2)
        for chat_id in range(1, args.chats + 1):
            time_zone = rng.choice(TIME_ZONES)
            local = slot_base.astimezone(zone(time_zone))
            schedule = DigestSchedule(local.time().replace(second=0, microsecond=0), time_zone)
            readers.append(
                NewReader(
                    chat_id=chat_id,
                    time_zone=time_zone,
                    digest_time=schedule.time_of_day,
                    topics=tuple(set(rng.choices(topics, weights, k=rng.randint(1, 4)))),
                    next_digest_at=latest_due_at_or_before(schedule, now),
                    max_stories=20 if rng.random() < 0.05 else 5,
                )
            )
        await store.digests.add_readers(readers, now=now)
        print(f"chats                       {args.chats} following {len(topics)} topics")
    return [reader.chat_id for reader in readers]


async def _bench(args: argparse.Namespace, workdir: Path, *, corpus: Corpus) -> int:
    from bot.digests.scheduler import DigestScheduler, SchedulerConfig
    from bot.summarizer import Summarizer, make_summary_executor
    from storage import Store

    path = workdir / "digest-bench.db"
    path.unlink(missing_ok=True)
    now = datetime.now(UTC)
    await _prepare(args, corpus, path, now)
    lag = LoopLag()
    failures: list[str] = []
    executor = make_summary_executor(2)
    emulator = EmulatorProcess(args.chats)
    stats: dict[str, Any] = {}
    try:
        async with await Store.open(path) as store:
            summarizer = Summarizer(store, executor)
            await emulator.start()
            if not await _measure_first_message(args, workdir, emulator, executor, corpus):
                failures.append("first message after the slot")
            related_cache = await _warm_up(store, summarizer, now)

            lag.start()
            if not await _measure_build(store, summarizer, related_cache, now):
                failures.append("build rate")

            sends: list[tuple[float, int]] = []
            deadline = time.monotonic() + args.deliver_seconds
            bot = _bot(emulator)
            scheduler = DigestScheduler(
                store,
                bot,
                summarizer,
                config=SchedulerConfig(),
                keep_going=lambda: time.monotonic() < deadline,
                on_sent=lambda chat_id: sends.append((time.monotonic(), chat_id)),
            )
            scheduler.related_cache = related_cache
            await bot.initialize()
            try:
                await scheduler.run_once(now=now)
            finally:
                await bot.shutdown()
            stats = await emulator.stop()
            failures += _delivery_report(sends, stats)
    finally:
        await lag.stop()
        await emulator.stop()
        executor.shutdown()
    failures += _loop_and_memory_report(lag)
    if failures:
        print(f"missed: {', '.join(failures)}")
        return 1
    return 0


async def _warm_up(store: Any, summarizer: Any, now: datetime) -> Any:
    """Summaries and related headlines, cached as a running bot has them; the related cache.

    A running bot keeps only the related headlines from one run to the next: the run's own
    rankings and choices go with its builder, as they do here.
    """
    from bot.digests.builder import DigestBuilder

    started = time.perf_counter()
    warm = DigestBuilder(store, summarizer, now=now)
    stories: set[int] = set()
    async for page in _due_pages(store.digests, now):
        for digest in await warm.build(page):
            stories.update(s for message in digest.messages for s in message.story_ids)
    print(
        f"warm-up (summaries, related) {len(stories)} distinct stories in "
        f"{time.perf_counter() - started:.1f} s; peak RSS so far {peak_rss_mb():.0f} MB"
    )
    return warm.related_cache


def _loop_and_memory_report(lag: LoopLag) -> list[str]:
    p99 = lag.percentile(0.99)
    peak = peak_rss_mb()
    print(
        f"event-loop lag              p50 {lag.percentile(0.5):.1f} ms  p99 {p99:.1f} ms  "
        f"max {max(lag.samples_ms, default=0):.1f} ms"
        f"  {'ok' if p99 < TARGET_LAG_P99_MS else 'SLOW'} (target p99 < {TARGET_LAG_P99_MS:g})"
    )
    print(
        f"peak memory (RSS)           {peak:.0f} MB"
        f"  {'ok' if peak < TARGET_PEAK_MB else 'HIGH'} (target < {TARGET_PEAK_MB:g})"
    )
    failures = []
    if p99 >= TARGET_LAG_P99_MS:
        failures.append("loop lag")
    if peak >= TARGET_PEAK_MB:
        failures.append("memory")
    return failures


async def _measure_build(store: Any, summarizer: Any, related_cache: Any, now: datetime) -> bool:
    """Build every due chat's digest page by page, as the scheduler does; True if fast enough."""
    from bot.digests.builder import DigestBuilder

    queries = store.digests
    started = time.perf_counter()
    builder = DigestBuilder(store, summarizer, now=now, related_cache=related_cache)
    built = messages = 0
    async for page in _due_pages(queries, now):
        for digest in await builder.build(page):
            built += 1
            messages += len(digest.messages)
    build_seconds = time.perf_counter() - started
    build_rate = built / build_seconds
    print(
        f"build                       {built} digests ({messages} messages) in "
        f"{build_seconds:.2f} s = {build_rate:,.0f} digests/s"
        f"  {'ok' if build_rate >= TARGET_BUILD_PER_SECOND else 'SLOW'}"
        f" (target {TARGET_BUILD_PER_SECOND:,.0f})"
    )
    return build_rate >= TARGET_BUILD_PER_SECOND


async def _measure_first_message(
    args: argparse.Namespace,
    workdir: Path,
    emulator: EmulatorProcess,
    executor: Any,
    corpus: Corpus,
) -> bool:
    """Seconds from a slot to each chat's first message on an idle bot; True if p95 is met.

    Each round gives LATENCY_CHATS chats the same due time a few seconds ahead and wakes the
    scheduler at it with a timer, as ``bot.digests.timer`` does in the running bot. Summaries
    are not warmed: the first round computes them, as a bot does for news it has not shown.
    """
    from bot.digests.schedule import zone
    from bot.digests.scheduler import DigestScheduler
    from bot.summarizer import Summarizer
    from storage import Store
    from storage.digests import NewReader

    path = workdir / "digest-latency.db"
    path.unlink(missing_ok=True)
    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    first_sent: dict[int, float] = {}
    latencies: list[float] = []
    async with await Store.open(path) as store:
        await store.articles.ingest(_articles(corpus, 300, rng), now=now - timedelta(hours=1))
        topics = _topics(corpus, rng)[:4]
        readers = []
        for chat_id in range(1, LATENCY_ROUNDS * LATENCY_CHATS + 1):
            time_zone = TIME_ZONES[chat_id % len(TIME_ZONES)]
            # Today's slot is this minute; the rounds below set when each chat is due.
            slot = now.astimezone(zone(time_zone)).time().replace(second=0, microsecond=0)
            readers.append(
                NewReader(
                    chat_id=chat_id,
                    time_zone=time_zone,
                    digest_time=slot,
                    topics=(topics[chat_id % len(topics)],),
                    next_digest_at=now + timedelta(days=1),
                )
            )
        await store.digests.add_readers(readers, now=now)
        queries = store.digests
        bot = _bot(emulator)
        scheduler = DigestScheduler(
            store,
            bot,
            Summarizer(store, executor),
            on_sent=lambda chat_id: _note_first(first_sent, chat_id),
        )
        await bot.initialize()
        try:
            loop = asyncio.get_running_loop()
            for round_number in range(LATENCY_ROUNDS):
                chats = range(
                    round_number * LATENCY_CHATS + 1, (round_number + 1) * LATENCY_CHATS + 1
                )
                due = datetime.now(UTC) + timedelta(seconds=2)
                await queries.set_next_digest_times([(chat_id, due) for chat_id in chats])
                woken = asyncio.Event()
                loop.call_at(loop.time() + (due - datetime.now(UTC)).total_seconds(), woken.set)
                await woken.wait()
                await scheduler.tick()
                latencies += [
                    first_sent[chat_id] - due.timestamp()
                    for chat_id in chats
                    if chat_id in first_sent
                ]
        finally:
            await bot.shutdown()
    expected = LATENCY_ROUNDS * LATENCY_CHATS
    ordered = sorted(latencies) or [float("inf")]
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    met = len(latencies) == expected and p95 <= TARGET_FIRST_MESSAGE_SECONDS
    print(
        f"first message after the slot p50 {p50:.2f} s  p95 {p95:.2f} s  max {ordered[-1]:.2f} s"
        f" ({len(latencies)} of {expected} chats, {LATENCY_ROUNDS} slots)"
        f"  {'ok' if met else 'SLOW'} (target p95 <= {TARGET_FIRST_MESSAGE_SECONDS:g} s)"
    )
    return met


def _note_first(first_sent: dict[int, float], chat_id: int) -> None:
    first_sent.setdefault(chat_id, time.time())


def _bot(emulator: EmulatorProcess) -> Any:
    from bot.digests.delivery import new_bot_client

    return new_bot_client(emulator.token, emulator.base_url)


async def _due_pages(queries: Any, now: datetime) -> AsyncIterator[list[Any]]:
    after = None
    while page := await queries.due_chats(now, limit=200, after=after):
        yield page
        after = (page[-1].next_digest_at, page[-1].id)


def _delivery_report(sends: list[tuple[float, int]], stats: dict[str, Any]) -> list[str]:
    failures: list[str] = []
    rate_limited = int(stats.get("rate_limited", -1))
    if len(sends) < 2:
        print("deliver                     too few messages to measure")
        return ["delivery"]
    # Sustained rate: from the first to the last send, the ramp-up second left out.
    start, end = sends[0][0] + 1.0, sends[-1][0]
    in_window = sum(1 for at, _ in sends if start <= at <= end)
    rate = in_window / max(end - start, 1e-9)
    by_chat: dict[int, list[float]] = defaultdict(list)
    for at, chat_id in sends:
        by_chat[chat_id].append(at)
    gaps = [b - a for times in by_chat.values() for a, b in itertools.pairwise(times)]
    shortest = min(gaps, default=float("inf"))
    print(
        f"deliver                     {len(sends)} messages to {len(by_chat)} chats, "
        f"{rate:.1f} msg/s sustained  {'ok' if rate >= TARGET_MESSAGES_PER_SECOND else 'SLOW'}"
        f" (target {TARGET_MESSAGES_PER_SECOND:g})"
    )
    print(f"  429 answers               {rate_limited}  {'ok' if rate_limited == 0 else 'FAIL'}")
    gap_text = f"{shortest:.2f} s" if gaps else "n/a (one message per chat)"
    multi = sum(1 for times in by_chat.values() if len(times) > 1)
    print(
        f"  per chat                  shortest gap {gap_text} over {multi} multi-message chats"
        f"  {'ok' if shortest >= 1.0 else 'FAIL'}"
    )
    if gaps:
        print(f"  median gap (multi)        {statistics.median(gaps):.2f} s")
    if rate < TARGET_MESSAGES_PER_SECOND:
        failures.append("delivery rate")
    if rate_limited != 0:
        failures.append("429 answers")
    if shortest < 1.0:
        failures.append("per-chat rate")
    return failures
