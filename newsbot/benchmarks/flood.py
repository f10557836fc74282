"""``newsbot bench flood``: does one user flooding the bot slow everyone else down?

The real application (long polling, handlers, rate limiter, summaries in their executor)
against the Bot API emulator with Telegram's limits. Three cases (``--case``, default all):

- ``messages``: on the demo news, three users ask /help one after another, each waiting for
  the answer, for ``--seconds`` with nobody else around, then for as long again while one more
  user sends ``--rate`` messages a second (commands and long pasted texts to summarise).
- ``filters`` (issues #17 and #18): on ``--articles`` synthetic stories of common words, one
  user with the most topics and muted phrases allowed (all of common words) sends /latest,
  /digest and /summary as fast as the flood guard lets through; others ask /latest and /help.
- ``buttons``: one user presses ``--rate`` buttons a second ("Digest now", unsubscribe, a digest
  story's full summary) while others ask /help.

The bot runs as ``newsbot run`` in a process of its own, as deployed; the emulator (standing
in for Telegram), the flooder and the asking users share this one. A latency is what a user
sees: from the update reaching the emulator to the reply arriving there. So the emulator's
work of making 100 updates a second and checking every reply is not counted as the bot's, and
the bot's own work (reading, decoding and judging every update) is.

Figures: p50/p95/max of the others' answers, and what the flooder sent and got back.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from newsbot.errors import CommandError

if TYPE_CHECKING:
    from emulator import BotApiEmulator
    from storage import Store
    from storage.ingest.records import ArticleRecord

DESCRIPTION = "flood: others' /help and /latest while one user floods messages, filters, buttons"

# Above this p95 during the flood (ms), the others are not served "as usual".
TARGET_FLOOD_P95_MS = 250.0
# Issue #17's targets while one user with the maximum filters sends expensive commands, and
# #18's for /help during a button flood.
TARGET_LATEST_P95_MS = 200.0
TARGET_HELP_P95_MS = 50.0
CASES = ("messages", "filters", "buttons")
_DEMO = Path(__file__).resolve().parents[1] / "demo_data" / "corpus.jsonl"
# First chat id of each asking user's series of chats.
_PROBES = (100_000, 200_000, 300_000)
_FLOODER = 6666
_WARM_UP = 5555
# A loaded machine may take a while to import, open a 100,000-story store and start polling.
_START_SECONDS = 180.0
_STOP_SECONDS = 90.0
# A person reads an answer before asking again. At 0.1 s, four askers wanted about 30 answers
# a second between them: Telegram's cap for a whole bot, which the bot's rate limiter keeps,
# so their latency measured that cap instead of the bot's work (issue #17, found by tracing).
_READING_SECONDS = 0.25
_LONG_TEXT = (
    "The council approved the harbour plan on Monday after a long debate about costs. "
    "Engineers said the new bridge would open next spring if the weather allowed it. "
    "Farmers near the river asked for compensation for the land the works would take. "
) * 12


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the flood benchmark."""
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase (default: 10)")
    parser.add_argument(
        "--rate", type=float, default=100.0, help="flooder's messages per second (default: 100)"
    )
    parser.add_argument("--workdir", type=Path, help="keep the database here (default: temp)")
    parser.add_argument(
        "--case", choices=(*CASES, "all"), default="all", help="which case (default: all)"
    )
    parser.add_argument(
        "--articles",
        type=int,
        default=100_000,
        help="stories in the filters case's store (default: 100000)",
    )


def _flood_texts() -> itertools.cycle[str]:
    return itertools.cycle(
        ["/help", "/latest energy prices", _LONG_TEXT, "/summary climate", "hello?", _LONG_TEXT]
    )


class _CpuClock:
    """CPU seconds used so far by the bot's process and by this one (emulator and users)."""

    def __init__(self, bot_pid: int) -> None:
        self._stat = Path(f"/proc/{bot_pid}/stat")
        self._ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def read(self) -> tuple[float, float]:
        """(the bot's, ours); the bot's is NaN where /proc is missing."""
        try:
            # utime and stime, after the command name (which may hold spaces) and 11 fields.
            fields = self._stat.read_text().rsplit(")", 1)[1].split()
            bot = (int(fields[11]) + int(fields[12])) / self._ticks
        except (OSError, IndexError, ValueError):
            bot = float("nan")
        return bot, time.process_time()


def _cpu_line(phases: list[tuple[str, float, tuple[float, float], tuple[float, float]]]) -> str:
    """CPU seconds per second of each phase: the bot's, and the emulator's with the users'."""
    parts = [
        f"{name} bot {(end[0] - start[0]) / seconds:.2f}, emulator and users "
        f"{(end[1] - start[1]) / seconds:.2f}"
        for name, seconds, start, end in phases
    ]
    return "CPU s/s                " + "; ".join(parts)


@contextlib.asynccontextmanager
async def _bot_process(emulator: BotApiEmulator, database: Path) -> AsyncIterator[_CpuClock]:
    """``newsbot run`` on ``database`` against ``emulator``, in a child process, until exit;
    yields a clock of its CPU time and this process's."""
    environ = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_API_BASE_URL": emulator.url,
        "NEWSBOT_DB": str(database),
        "NEWSBOT_LOG_LEVEL": "ERROR",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "newsbot", "run", env=environ, stderr=asyncio.subprocess.PIPE
    )
    try:
        # Ready once it has registered its commands and answered a first question.
        try:
            await emulator.wait_until(lambda: bool(emulator.commands), timeout=_START_SECONDS)
            emulator.send_message(chat_id=_WARM_UP, text="/help", first_name="Warm-up")
            await emulator.wait_for_messages(_WARM_UP, count=1, timeout=_START_SECONDS)
        except TimeoutError:
            raise CommandError(
                f"newsbot run did not answer /help within {_START_SECONDS:g} s of starting"
            ) from None
        yield _CpuClock(process.pid)
    finally:
        if process.returncode is None:
            process.terminate()
        try:
            _, errors = await asyncio.wait_for(process.communicate(), timeout=_STOP_SECONDS)
        except TimeoutError:
            # Work still running at the end (a flooder's) may hold the stop up to its budget;
            # the figures are taken by then.
            process.kill()
            _, errors = await process.communicate()
            print(f"newsbot run did not stop within {_STOP_SECONDS:g} s; killed", file=sys.stderr)
        else:
            if process.returncode not in (0, -15):
                raise CommandError(
                    f"newsbot run exited with {process.returncode}: {errors.decode()}"
                )


async def _probe(
    emulator: BotApiEmulator,
    first_chat: int,
    until: float,
    latencies: list[float],
    command: str = "/help",
) -> int:
    """Ask ``command`` again and again until ``until``; returns the number of unanswered ones.

    Each question comes from a new chat: one chat gets about one message a second from the
    bot (Telegram's limit), which would measure Telegram's pacing instead of the bot.
    """
    unanswered = 0
    chats = itertools.count(first_chat)
    while time.monotonic() < until:
        chat_id = next(chats)
        started = time.perf_counter()
        emulator.send_message(chat_id=chat_id, text=command, first_name="Probe")
        try:
            await emulator.wait_for_messages(chat_id, count=1, timeout=30.0)
        except TimeoutError:
            unanswered += 1
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(_READING_SECONDS)
    return unanswered


async def _flood(emulator: BotApiEmulator, rate: float, until: float) -> int:
    """Send ``rate`` messages a second from one user until ``until``; returns how many."""
    sent = 0
    texts = _flood_texts()
    interval = 1.0 / rate
    next_at = time.monotonic()
    while time.monotonic() < until:
        emulator.send_message(chat_id=_FLOODER, text=next(texts), first_name="Flooder")
        sent += 1
        next_at += interval
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
    return sent


def _summary(name: str, latencies: list[float], unanswered: int) -> str:
    if not latencies:
        return f"{name:<22} no answers ({unanswered} unanswered)"
    ordered = sorted(latencies)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"{name:<22} n={len(ordered):<4} p50 {statistics.median(ordered):7.1f} ms  "
        f"p95 {p95:7.1f} ms  max {ordered[-1]:7.1f} ms  unanswered {unanswered}"
    )


async def measure(
    *, seconds: float, rate: float, workdir: Path
) -> tuple[list[float], list[float], int, int, int]:
    """(quiet latencies, flood latencies, unanswered during flood, flood sent, flood answered)."""
    from emulator import BotApiEmulator, Limits
    from emulator.server import DEFAULT_TOKEN
    from storage import Store
    from storage.ingest.jsonl import parse_jsonl

    path = workdir / "flood.db"
    path.unlink(missing_ok=True)
    async with await Store.open(path) as store:
        await store.articles.ingest(parse_jsonl(_DEMO.read_text("utf-8").splitlines(), name="demo"))
    emulator = BotApiEmulator(DEFAULT_TOKEN, bot_username="newsbot_flood_bot", limits=Limits())
    await emulator.start(port=0)
    try:
        async with _bot_process(emulator, path):
            quiet: list[float] = []
            until = time.monotonic() + seconds
            await asyncio.gather(*(_probe(emulator, c, until, quiet) for c in _PROBES))
            flooded: list[float] = []
            until = time.monotonic() + seconds
            flood = asyncio.create_task(_flood(emulator, rate, until))
            missed = await asyncio.gather(
                *(_probe(emulator, c + 50_000, until, flooded) for c in _PROBES)
            )
            sent = await flood
            answered = len(emulator.sent_messages(_FLOODER))
    finally:
        await emulator.stop()
    return quiet, flooded, sum(missed), sent, answered


# A synthetic vocabulary: word i is drawn with weight 1/(i+1), so the first words are in
# almost every story (and refused as filters) and the next ones in a good share of them.
_VOCABULARY = [f"w{index}" for index in range(400)]
_FILTER_FLOODER = 7777
_BUTTON_FLOODER = 8888
_EXPENSIVE_TEXTS = ("/latest", "/digest", "/summary", "/latest")


def _synthetic_stories(count: int, seed: int = 17) -> Iterator[ArticleRecord]:
    import random
    from datetime import UTC, datetime, timedelta

    from storage.ingest.records import ArticleRecord

    rng = random.Random(seed)
    weights = [1 / (index + 1) for index in range(len(_VOCABULARY))]
    now = datetime.now(UTC)
    for number in range(count):
        words = rng.choices(_VOCABULARY, weights, k=130)
        yield ArticleRecord(
            title=" ".join(words[:8]).capitalize() + f" {number}",
            text=". ".join(" ".join(words[at : at + 13]) for at in range(8, 130, 13)) + ".",
            url=f"https://news.test/{number}",
            # A month of news: a day's digest window holds about a thirtieth of the store.
            published_at=now - timedelta(minutes=rng.uniform(0, 30 * 24 * 60)),
        )


async def _fill_filters(store: Store, chat_id: int) -> tuple[int, int]:
    """The most topics and muted phrases a chat may have, the commonest words the store accepts."""
    from storage import InvalidTopicError
    from storage.reader_controls import MAX_MUTED_WORDS
    from storage.subscriptions import MAX_TOPICS

    controls = store.controls
    # Phrases of the commonest word and a rarer one; topics of single, common words.
    muted = len(await controls.muted_words(chat_id))
    topics = len(await store.subscriptions.topics(chat_id))
    for word in _VOCABULARY[1:]:
        if muted >= MAX_MUTED_WORDS:
            break
        with contextlib.suppress(InvalidTopicError):  # too broad: refused, as from a reader
            muted += (await controls.mute_word(chat_id, f"{_VOCABULARY[0]} {word}"))[1]
    for word in _VOCABULARY[1:]:
        if topics >= MAX_TOPICS:
            break
        with contextlib.suppress(InvalidTopicError):
            topics += await store.subscriptions.subscribe(chat_id, word)
    # Counted from the store: a kept --workdir store has them from an earlier run.
    return len(await store.subscriptions.topics(chat_id)), len(await controls.muted_words(chat_id))


async def _expensive_flood(emulator: BotApiEmulator, rate: float, until: float) -> int:
    sent = 0
    texts = itertools.cycle(_EXPENSIVE_TEXTS)
    next_at = time.monotonic()
    while time.monotonic() < until:
        emulator.send_message(chat_id=_FILTER_FLOODER, text=next(texts), first_name="Filters")
        sent += 1
        next_at += 1.0 / rate
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
    return sent


async def _button_flood(emulator: BotApiEmulator, rate: float, until: float) -> int:
    """Press ``rate`` buttons a second on one message; returns how many presses were sent."""
    emulator.send_message(chat_id=_BUTTON_FLOODER, text="/help", first_name="Buttons")
    [message] = await emulator.wait_for_messages(_BUTTON_FLOODER, count=1, timeout=30.0)
    presses = itertools.cycle(["1d:", "1u:nothing", "Ds:1", "Dm:1"])
    sent = 0
    next_at = time.monotonic()
    while time.monotonic() < until:
        emulator.press_button(_BUTTON_FLOODER, message.message_id, next(presses))
        sent += 1
        next_at += 1.0 / rate
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
    return sent


async def _prepare_store(case: str, args: argparse.Namespace, path: Path) -> list[str]:
    """The case's database: synthetic stories and a flooder's filters, or the demo news."""
    from storage import Store
    from storage.ingest.jsonl import parse_jsonl

    lines: list[str] = []
    if case == "filters":
        # The store is kept between runs with --workdir: making 100,000 stories takes minutes.
        fresh = not await asyncio.to_thread(path.exists)
        async with await Store.open(path) as store:
            if fresh:
                batch: list[ArticleRecord] = []
                for record in _synthetic_stories(args.articles):
                    batch.append(record)
                    if len(batch) == 2000:
                        await store.articles.ingest(batch)
                        batch = []
                await store.articles.ingest(batch)
            topics, muted = await _fill_filters(store, _FILTER_FLOODER)
        lines.append(
            f"{args.articles:,} stories; the flooder follows {topics} topics and mutes {muted}"
            " phrases of common words"
        )
    else:
        await asyncio.to_thread(path.unlink, missing_ok=True)
        async with await Store.open(path) as store:
            await store.articles.ingest(
                parse_jsonl(_DEMO.read_text("utf-8").splitlines(), name="demo")
            )
    return lines


def _asking(
    emulator: BotApiEmulator,
    case: str,
    *,
    offset: int,
    until: float,
    helps: list[float],
    latests: list[float],
) -> list[Coroutine[None, None, int]]:
    """The other users' questions, the same in the quiet phase and during the flood (their
    chats numbered from ``offset``): /help and /latest for filters, /help for buttons."""
    if case != "filters":
        return [_probe(emulator, first + offset, until, helps) for first in _PROBES]
    return [_probe(emulator, first + offset, until, helps) for first in _PROBES[:2]] + [
        _probe(emulator, first + offset + 10_000, until, latests, "/latest")
        for first in _PROBES[:2]
    ]


async def measure_case(case: str, args: argparse.Namespace, workdir: Path) -> list[str]:
    """Run the filters or buttons case; report lines, ending with the verdict."""
    from emulator import BotApiEmulator, Limits
    from emulator.server import DEFAULT_TOKEN

    path = workdir / f"flood-{case}.db"
    lines = await _prepare_store(case, args, path)
    emulator = BotApiEmulator(DEFAULT_TOKEN, bot_username="newsbot_flood_bot", limits=Limits())
    await emulator.start(port=0)
    try:
        async with _bot_process(emulator, path) as clock:
            # A quiet phase first: on a shared machine the figures mean something only
            # next to the same requests with nobody flooding.
            quiet_helps: list[float] = []
            quiet_latests: list[float] = []
            until = time.monotonic() + args.seconds
            quiet_cpu = clock.read()
            await asyncio.gather(
                *_asking(
                    emulator,
                    case,
                    offset=60_000,
                    until=until,
                    helps=quiet_helps,
                    latests=quiet_latests,
                )
            )
            until = time.monotonic() + args.seconds
            flood_cpu = clock.read()
            helps: list[float] = []
            latests: list[float] = []
            if case == "filters":
                flood = asyncio.create_task(_expensive_flood(emulator, 10.0, until))
            else:
                flood = asyncio.create_task(_button_flood(emulator, args.rate, until))
            probes = _asking(
                emulator, case, offset=80_000, until=until, helps=helps, latests=latests
            )
            missed = sum(await asyncio.gather(*probes))
            sent = await flood
            cpu = _cpu_line(
                [
                    ("quiet:", args.seconds, quiet_cpu, flood_cpu),
                    ("flood:", args.seconds, flood_cpu, clock.read()),
                ]
            )
            flooder = _FILTER_FLOODER if case == "filters" else _BUTTON_FLOODER
            answered = len(emulator.sent_messages(flooder))
    finally:
        await emulator.stop()
    report = _report(case, (quiet_helps, helps, quiet_latests, latests), sent, answered, missed)
    return [*lines, *report[:-1], cpu, report[-1]]


def _report(
    case: str,
    samples: tuple[list[float], list[float], list[float], list[float]],
    sent: int,
    answered: int,
    missed: int,
) -> list[str]:
    """The case's figures and verdict (samples: /help and /latest, quiet and flooded)."""
    quiet_helps, helps, quiet_latests, latests = samples
    lines: list[str] = []
    ok = not missed and _p95(helps) < TARGET_HELP_P95_MS
    lines.append(_summary("/help, quiet", quiet_helps, 0))
    lines.append(_summary("/help, during flood", helps, 0))
    if case == "filters":
        lines.append(_summary("/latest, quiet", quiet_latests, 0))
        lines.append(_summary("/latest, during flood", latests, 0))
        ok = ok and _p95(latests) < TARGET_LATEST_P95_MS
        lines.append(
            f"flooder                sent {sent} expensive commands, got {answered} replies"
        )
    else:
        lines.append(f"flooder                pressed {sent} buttons, got {answered} messages")
    verdict = "ok" if ok else "SLOW"
    limits = f"/help p95 under {TARGET_HELP_P95_MS:g} ms"
    if case == "filters":
        limits += f", /latest p95 under {TARGET_LATEST_P95_MS:g} ms"
    lines.append(f"{verdict} (limits: {limits}; {missed} unanswered)")
    return lines


def _p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else float("inf")


def run(args: argparse.Namespace) -> int:
    """Measure the chosen cases and print the figures; exit 1 when a flood slows others down."""
    logging.basicConfig(level=logging.CRITICAL)
    cases = CASES if args.case == "all" else (args.case,)
    failed = False
    with tempfile.TemporaryDirectory(prefix="newsbot-flood-") as temporary:
        workdir = args.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        if "messages" in cases:
            failed |= _run_messages(args, workdir)
        for case in cases:
            if case != "messages":
                print(f"-- {case}")
                lines = asyncio.run(measure_case(case, args, workdir))
                print("\n".join(lines))
                failed |= lines[-1].startswith("SLOW")
    return 1 if failed else 0


def _run_messages(args: argparse.Namespace, workdir: Path) -> bool:
    quiet, flooded, missed, sent, answered = asyncio.run(
        measure(seconds=args.seconds, rate=args.rate, workdir=workdir)
    )
    print(f"-- messages: 3 users ask /help in turn; then one more user sends {args.rate:g}/s")
    print(_summary("/help, quiet", quiet, 0))
    print(_summary("/help, during flood", flooded, missed))
    print(f"flooder                sent {sent}, answers received {answered} (during the flood)")
    verdict = "ok" if _p95(flooded) < TARGET_FLOOD_P95_MS and not missed else "SLOW"
    print(f"{verdict} (limit: p95 under {TARGET_FLOOD_P95_MS:g} ms during the flood, none missed)")
    return verdict != "ok"
