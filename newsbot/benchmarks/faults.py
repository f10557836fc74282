"""``newsbot bench faults``: the real bot's digest fan-out under each fault the emulator injects.

For every scenario: a fresh database of synthetic stories and chats whose digests are all due,
the real application (long polling, rate limiter, handlers) against an in-process Bot API
emulator with Telegram's limits, the real digest scheduler using the application's bot, and a
few users asking /help throughout. One fault is switched on for the whole run: 5xx answers,
dropped connections (before or after the message was delivered), answers slower than the
bot's timeout, a 429 storm, or 403 for a share of chats. Runs repeat while digests are due
(a failed chat is retried at once), then the faults are cleared and the chats are counted.

Per scenario: sendMessage requests attempted, digest messages delivered, extra requests
(retried), digest stories delivered twice to a chat (duplicated, must be 0), due stories that
never reached a chat that can be reached (lost, must be 0), subscriptions lost (must be 0), and
/help replies received with their p95 latency.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import random
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from emulator import BotApiEmulator
    from emulator.faults import Faults

DESCRIPTION = "faults: digests and replies under 5xx, drops, timeouts, 429 storms and 403s"

_SEND = ("sendMessage",)
# Longer than python-telegram-bot's default 5 s read timeout, so the bot gives up waiting.
_SLOWER_THAN_TIMEOUT = 6.0
_TOPICS = ("climate", "energy", "football", "markets")
_STORY_LINE = re.compile(r"^\d+\. .*?Report N(\d+)\b", re.MULTILINE)
# Words that are no topic, so each story matches only its own topic and no two stories merge.
_VOCABULARY = re.findall(
    r"\w+",
    "council harbour village engineers river season budget museum tunnel farmers bridge "
    "festival hospital railway orchard library station stadium airport factory vineyard "
    "island valley glacier canyon lagoon meadow harvest orchestra theatre gallery pier "
    "lighthouse monastery quarry reservoir windmill observatory aquarium canal ferry",
)


@dataclass(frozen=True, slots=True)
class Scenario:
    """A named fault, switched on for a whole run.

    ``ambiguous``: the bot cannot tell whether Telegram got the message (the connection closed
    with no answer), so it sends again rather than risk losing it: each such drop may repeat
    one message, and no more than that is allowed.
    """

    name: str
    description: str
    inject: Callable[[Faults], None]
    ambiguous: bool = False


def _none(faults: Faults) -> None:
    del faults


def _server_errors(faults: Faults) -> None:
    faults.fail_share(0.2, status=500, seed=1, methods=_SEND)
    faults.fail_share(0.1, status=502, seed=2, methods=_SEND)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("none", "no faults (baseline)", _none),
    Scenario(
        "5xx",
        "30% of sends answer HTTP 500 or 502",
        _server_errors,
    ),
    Scenario(
        "drop",
        "20% of sends: connection closed before the message is delivered",
        lambda faults: faults.drop_share(0.2, seed=3, methods=_SEND),
    ),
    Scenario(
        "drop-after",
        "10% of sends: message delivered, then the connection closed without an answer",
        lambda faults: faults.drop_share(0.1, seed=4, methods=_SEND, after_processing=True),
        ambiguous=True,
    ),
    Scenario(
        "slow",
        f"10% of sends answered after {_SLOWER_THAN_TIMEOUT:g} s (past the bot's 5 s timeout)",
        lambda faults: faults.delay_share(0.1, seconds=_SLOWER_THAN_TIMEOUT, seed=5, methods=_SEND),
    ),
    Scenario(
        "429-storm",
        "every send answers 429 (retry after 1 s) for 3 s",
        lambda faults: faults.rate_limit_storm(3.0, retry_after=1),
    ),
    Scenario(
        "403-share",
        "a quarter of the chats answer 403 (bot blocked)",
        lambda faults: faults.forbidden_share(0.25, seed=6),
    ),
)


@dataclass(slots=True)
class ScenarioResult:
    """What one scenario did; ``failures`` lists broken promises (empty when all held)."""

    name: str
    chats: int
    blocked_chats: int = 0
    attempted: int = 0
    delivered: int = 0
    retried: int = 0
    duplicated: int = 0
    duplicate_messages: int = 0
    dropped: int = 0
    lost: int = 0
    subscriptions_lost: int = 0
    stories_expected: int = 0
    help_asked: int = 0
    help_answered: int = 0
    help_p95_ms: float = 0.0
    runs: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One row of the report table."""
        verdict = "ok" if not self.failures else "FAIL: " + "; ".join(self.failures)
        if not self.failures and self.duplicated:
            verdict += f" (at least once: {self.duplicate_messages} resent of {self.dropped} drops)"
        return (
            f"{self.name:<11} {self.attempted:>9} {self.delivered:>9} {self.retried:>7} "
            f"{self.duplicated:>10} {self.lost:>5} {self.subscriptions_lost:>8} "
            f"{self.help_answered:>4}/{self.help_asked:<4} {self.help_p95_ms:>8.0f} "
            f"{self.seconds:>6.1f}  {verdict}"
        )


HEADER = (
    f"{'scenario':<11} {'attempted':>9} {'delivered':>9} {'retried':>7} {'duplicated':>10} "
    f"{'lost':>5} {'subs lost':>8} {'/help':>9} {'p95 ms':>8} {'sec':>6}"
)


def _article_text(rng: random.Random, topic: str, number: int) -> str:
    sentences = []
    for index in range(8):
        words = rng.sample(_VOCABULARY, 9)
        if index == 0:
            words.insert(2, topic)
        sentences.append(f"Report {number} notes the {' '.join(words)} again.")
    return " ".join(sentences)


async def prepare_due_digests(
    path: Path, chats: int, now: datetime, seed: int = 1
) -> dict[int, set[int]]:
    """Articles and chats 1..chats whose digests are due; each chat's expected story numbers.

    Every story's title holds ``Report N<number>``, which :func:`story_numbers` reads back
    from the digest messages a chat received.
    """
    from bot.digests.schedule import DigestSchedule, latest_due_at_or_before
    from storage import Store
    from storage.digests import NewReader
    from storage.ingest.records import ArticleRecord

    rng = random.Random(seed)
    records = []
    by_topic: dict[str, set[int]] = {topic: set() for topic in _TOPICS}
    number = 0
    for topic in _TOPICS:
        # "markets" chats get long digests that take several messages.
        for _ in range(10 if topic == "markets" else 4):
            number += 1
            by_topic[topic].add(number)
            records.append(
                ArticleRecord(
                    text=_article_text(rng, topic, number),
                    title=f"Report N{number}: {topic} {rng.choice(_VOCABULARY)}",
                    url=f"https://news.example.org/{topic}/{number}",
                    source="Fault Wire",
                )
            )
    slot = (now - timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    schedule = DigestSchedule(time_of_day(slot.hour, slot.minute), "UTC")
    readers = []
    expected: dict[int, set[int]] = {}
    for chat_id in range(1, chats + 1):
        topic = _TOPICS[chat_id % len(_TOPICS)]
        readers.append(
            NewReader(
                chat_id=chat_id,
                time_zone="UTC",
                digest_time=schedule.time_of_day,
                topics=(topic,),
                next_digest_at=latest_due_at_or_before(schedule, now),
                max_stories=20,
                # Short digests fit ten stories in one message; long summaries take two.
                summary_length="long" if topic == "markets" else "medium",
            )
        )
        expected[chat_id] = set(by_topic[topic])
    async with await Store.open(path) as store:
        report = await store.articles.ingest(records, now=now - timedelta(hours=1))
        assert report.new_articles == len(records), "synthetic stories must not merge"
        await store.digests.add_readers(readers, now=now)
    return expected


async def _subscription_count(path: Path) -> int:
    from storage import Store

    async with await Store.open(path) as store:
        return (await store.stats(datetime.now(UTC))).subscriptions


async def _ask_for_help(
    emulator: BotApiEmulator,
    chats: Iterator[int],
    asked_from: list[int],
    stop: asyncio.Event,
    latencies: list[float],
) -> int:
    """A user asking /help again and again until ``stop``; returns how many were asked.

    Each question comes from a new chat, so the answer time is the bot's and not Telegram's
    pacing of about one message a second to one chat.
    """
    asked = 0
    while not stop.is_set():
        asked += 1
        chat_id = next(chats)
        asked_from.append(chat_id)
        started = time.perf_counter()
        emulator.send_message(chat_id=chat_id, text="/help", first_name="Reader")
        try:
            await emulator.wait_for_messages(chat_id, count=1, timeout=30.0)
        except TimeoutError:
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        # A user reads the answer before asking again.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=0.25)
    return asked


async def run_scenario(
    scenario: Scenario, *, chats: int, workdir: Path, seed: int = 1, max_runs: int = 12
) -> ScenarioResult:
    """Run the fan-out once under ``scenario`` and count what reached the chats."""
    from emulator import BotApiEmulator, Limits
    from emulator.server import DEFAULT_TOKEN

    path = workdir / f"faults-{scenario.name}.db"
    path.unlink(missing_ok=True)
    expected = await prepare_due_digests(path, chats, datetime.now(UTC), seed)
    subscriptions_before = await _subscription_count(path)
    result = ScenarioResult(scenario.name, chats)
    started = time.perf_counter()
    emulator = BotApiEmulator(DEFAULT_TOKEN, bot_username="newsbot_faults_bot", limits=Limits())
    await emulator.start(port=0)
    try:
        for chat_id in expected:
            emulator.add_chat(chat_id, first_name=f"Reader {chat_id}")
        await _run_bot(emulator, scenario, path, expected, result, max_runs=max_runs)
    finally:
        await emulator.stop()
    result.subscriptions_lost = subscriptions_before - await _subscription_count(path)
    result.seconds = time.perf_counter() - started
    for name in ("lost", "subscriptions_lost"):
        if getattr(result, name):
            result.failures.append(f"{name} = {getattr(result, name)}")
    if result.duplicated and not scenario.ambiguous:
        result.failures.append(f"duplicated = {result.duplicated}")
    if scenario.ambiguous and result.duplicate_messages > result.dropped:
        result.failures.append(
            f"{result.duplicate_messages} messages repeated for {result.dropped} drops"
        )
    if result.help_answered < result.help_asked:
        result.failures.append(f"{result.help_asked - result.help_answered} /help unanswered")
    return result


async def _run_bot(
    emulator: BotApiEmulator,
    scenario: Scenario,
    path: Path,
    expected: dict[int, set[int]],
    result: ScenarioResult,
    *,
    max_runs: int,
) -> None:
    """The application and its digest scheduler, run by run under the fault, then counted."""
    from concurrent.futures import ThreadPoolExecutor

    from bot.app import build_application
    from bot.digests.scheduler import DigestScheduler, SchedulerConfig
    from bot.runner import serving
    from bot.settings import Settings

    # Chats that ask /help: ones the scenario does not block, so every question has an answer.
    helpers: list[int] = []
    fresh = (
        chat_id
        for chat_id in itertools.count(len(expected) + 1000)
        if not _forbidden(scenario, chat_id)
    )
    settings = Settings(token=emulator.token, api_base_url=emulator.base_url, database_path=path)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="fault-summaries") as executor:
        application = build_application(settings, summary_executor=executor)
        async with serving(application, poll_timeout=1):
            # The scheduler below is the application's own, driven run by run, so the
            # JobQueue's periodic tick must not start a second one on the same chats.
            assert application.job_queue is not None
            for job in application.job_queue.get_jobs_by_name("digests"):
                job.schedule_removal()
            services = application.bot_data.services
            scheduler = DigestScheduler(
                services.store,
                application.bot,
                services.summarizer,
                # A chat whose sends all failed is due again at once, not in five minutes.
                config=SchedulerConfig(retry_delay=timedelta(0)),
                keep_going=lambda: application.running,
            )
            requests_before = emulator.stats.requests["sendMessage"]
            stop_help = asyncio.Event()
            latencies: list[float] = []
            askers = [
                asyncio.create_task(_ask_for_help(emulator, fresh, helpers, stop_help, latencies))
                for _ in range(3)
            ]
            scenario.inject(emulator.faults)
            try:
                for _ in range(max_runs):
                    report = await scheduler.run_once()
                    result.runs += 1
                    if report.chats_due == 0:
                        break
            finally:
                emulator.faults.clear()
                stop_help.set()
                asked = await asyncio.gather(*askers)
            result.help_asked = sum(asked)
            result.help_answered = len(latencies)
            if latencies:
                ordered = sorted(latencies)
                result.help_p95_ms = ordered[max(0, round(0.95 * len(ordered)) - 1)]
            forbidden = {chat_id for chat_id in expected if _forbidden(scenario, chat_id)}
            # A send the bot stopped waiting for may still be on its way into the chat.
            with contextlib.suppress(TimeoutError):
                await emulator.wait_until(
                    lambda: not _missing(emulator, expected, forbidden),
                    timeout=_SLOWER_THAN_TIMEOUT + 1,
                )
            result.attempted = emulator.stats.requests["sendMessage"] - requests_before
            result.dropped = emulator.stats.connections_dropped
            result.blocked_chats = len(forbidden)
            _count_deliveries(emulator, expected, forbidden, helpers, result)


def _forbidden(scenario: Scenario, chat_id: int) -> bool:
    """Whether the scenario makes this chat answer 403 (the same rule as the emulator's)."""
    from emulator.faults import Faults

    probe = Faults()
    scenario.inject(probe)
    return probe.is_forbidden(chat_id)


def story_numbers(text: str) -> list[int]:
    """The numbers of the stories a digest message (as displayed) shows, in order."""
    return [int(number) for number in _STORY_LINE.findall(text)]


def _stories(emulator: BotApiEmulator, chat_id: int) -> list[list[int]]:
    """The story numbers of each message the bot sent to the chat."""
    return [story_numbers(message.text) for message in emulator.sent_messages(chat_id)]


def _missing(emulator: BotApiEmulator, expected: dict[int, set[int]], forbidden: set[int]) -> bool:
    for chat_id, stories in expected.items():
        if chat_id in forbidden:
            continue
        seen = {number for message in _stories(emulator, chat_id) for number in message}
        if stories - seen:
            return True
    return False


def _count_deliveries(
    emulator: BotApiEmulator,
    expected: dict[int, set[int]],
    forbidden: set[int],
    helpers: list[int],
    result: ScenarioResult,
) -> None:
    digest_messages = 0
    help_replies = sum(len(emulator.sent_messages(chat_id)) for chat_id in helpers)
    for chat_id, stories in expected.items():
        messages = _stories(emulator, chat_id)
        digest_messages += len(messages)
        seen: Counter[int] = Counter()
        for numbers in messages:
            if numbers and all(seen[number] for number in numbers):
                result.duplicate_messages += 1
            seen.update(numbers)
        result.duplicated += sum(count - 1 for count in seen.values() if count > 1)
        if chat_id not in forbidden:
            result.stories_expected += len(stories)
            result.lost += len(stories - set(seen))
    result.delivered = digest_messages
    # Requests that put no new message in a chat and were not a final 403: sent again after
    # a failure (5xx, drop, timeout, 429), including the repeats counted as duplicates.
    new_messages = digest_messages - result.duplicate_messages + help_replies
    result.retried = max(0, result.attempted - new_messages - result.blocked_chats)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the fault run."""
    parser.add_argument("--chats", type=int, default=60, help="digest chats (default: 60)")
    parser.add_argument(
        "--scenario",
        action="append",
        choices=[scenario.name for scenario in SCENARIOS],
        help="run only this scenario (repeatable; default: all)",
    )
    parser.add_argument("--workdir", type=Path, help="keep the databases here (default: temp)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")


def run(args: argparse.Namespace) -> int:
    """Run the scenarios and print one row each; exit 1 if any promise was broken."""
    chosen = [s for s in SCENARIOS if not args.scenario or s.name in args.scenario]
    # Every injected fault makes the bot and python-telegram-bot log a warning or an error
    # with a traceback: expected here, and the table below is the report.
    logging.basicConfig(level=logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="newsbot-faults-") as temporary:
        workdir = args.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        print(f"{args.chats} chats due, Telegram's limits on; /help from 3 users throughout")
        print(HEADER)
        results = []
        for scenario in chosen:
            result = asyncio.run(
                run_scenario(scenario, chats=args.chats, workdir=workdir, seed=args.seed)
            )
            results.append(result)
            print(result.line(), flush=True)
    print()
    for scenario in chosen:
        print(f"  {scenario.name:<11} {scenario.description}")
    median = statistics.median(result.seconds for result in results) if results else 0.0
    print(f"  median scenario time {median:.1f} s")
    return 1 if any(result.failures for result in results) else 0
