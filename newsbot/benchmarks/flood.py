"""``newsbot bench flood``: does one user flooding the bot slow everyone else down?

The real application (long polling, handlers, rate limiter, summaries in their executor)
against the Bot API emulator with Telegram's limits, on a database holding the demo news.
Three users ask /help one after another, each waiting for the answer, and their answer times
are measured twice: for ``--seconds`` with nobody else around, then for as long again while
one more user sends ``--rate`` messages a second (by default 100: commands, searches and long
pasted texts to summarise, the expensive kinds). Figures: /help p50/p95/max in both phases,
and what the flooder sent and got back.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from emulator import BotApiEmulator

DESCRIPTION = "flood: /help answer times while one user sends 100 messages a second"

# Above this p95 during the flood (ms), the others are not served "as usual".
TARGET_FLOOD_P95_MS = 250.0
_DEMO = Path(__file__).resolve().parents[1] / "demo_data" / "corpus.jsonl"
# First chat id of each asking user's series of chats.
_PROBES = (100_000, 200_000, 300_000)
_FLOODER = 6666
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


def _flood_texts() -> itertools.cycle[str]:
    return itertools.cycle(
        ["/help", "/search energy prices", _LONG_TEXT, "/summary climate", "hello?", _LONG_TEXT]
    )


async def _probe(
    emulator: BotApiEmulator, first_chat: int, until: float, latencies: list[float]
) -> int:
    """Ask /help again and again until ``until``; returns the number of unanswered ones.

    Each question comes from a new chat: one chat gets about one message a second from the
    bot (Telegram's limit), which would measure Telegram's pacing instead of the bot.
    """
    unanswered = 0
    chats = itertools.count(first_chat)
    while time.monotonic() < until:
        chat_id = next(chats)
        started = time.perf_counter()
        emulator.send_message(chat_id=chat_id, text="/help", first_name="Probe")
        try:
            await emulator.wait_for_messages(chat_id, count=1, timeout=30.0)
        except TimeoutError:
            unanswered += 1
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.1)  # a person reads the answer before asking again
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
    from concurrent.futures import ThreadPoolExecutor

    from bot.app import build_application
    from bot.runner import serving
    from bot.settings import Settings
    from emulator import BotApiEmulator, Limits
    from emulator.server import DEFAULT_TOKEN
    from storage import Store
    from storage.ingest.jsonl import parse_jsonl

    path = workdir / "flood.db"
    path.unlink(missing_ok=True)
    async with await Store.open(path) as store:
        await store.ingest(parse_jsonl(_DEMO.read_text("utf-8").splitlines(), name="demo"))
    emulator = BotApiEmulator(DEFAULT_TOKEN, bot_username="newsbot_flood_bot", limits=Limits())
    await emulator.start(port=0)
    try:
        settings = Settings(token=DEFAULT_TOKEN, api_base_url=emulator.base_url, database_path=path)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="flood-summaries") as executor:
            application = build_application(settings, summary_executor=executor)
            async with serving(application, poll_timeout=1):
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


def run(args: argparse.Namespace) -> int:
    """Measure both phases and print the figures; exit 1 when the flood slows others down."""
    logging.basicConfig(level=logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="newsbot-flood-") as temporary:
        workdir = args.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        quiet, flooded, missed, sent, answered = asyncio.run(
            measure(seconds=args.seconds, rate=args.rate, workdir=workdir)
        )
    print(f"3 users ask /help in turn; then one more user sends {args.rate:g} messages/s")
    print(_summary("/help, quiet", quiet, 0))
    print(_summary("/help, during flood", flooded, missed))
    print(f"flooder                sent {sent}, answers received {answered} (during the flood)")
    ordered = sorted(flooded)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else float("inf")
    verdict = "ok" if p95 < TARGET_FLOOD_P95_MS and not missed else "SLOW"
    print(f"{verdict} (limit: p95 under {TARGET_FLOOD_P95_MS:g} ms during the flood, none missed)")
    return 0 if verdict == "ok" else 1
