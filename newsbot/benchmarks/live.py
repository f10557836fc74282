"""``newsbot bench digest --live``: delivery as it happens after one big poll.

1. A fresh database: C chats (default 1,000), each following one of T topics (default 40) as
   it happens, and S new stories (default 200) from one poll, spread evenly over the topics.
2. One live run, as the bot's 30-second job starts it: match, queue, and post every story to
   every chat that follows its topic as a card (title, summary, source, date) through the real
   bot client, rate limiter and digest sender, to the Bot API emulator with Telegram's limits on
   in its own process.
3. Reported: the time until the last post, 429 answers (must be 0), duplicates (messages the
   emulator received beyond one per chat and story; must be 0) and stories not posted (0).
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newsbot.benchmarks.report import peak_rss_mb, run_in_workdir

__all__ = ["live_card", "prepare_live", "run"]

_WORDS = (
    "harbour", "bridge", "railway", "airport", "library", "stadium", "hospital", "museum",
    "orchard", "vineyard", "glacier", "volcano", "lighthouse", "reservoir", "quarry", "ferry",
    "tramway", "canal", "observatory", "aqueduct", "monastery", "brewery", "sawmill", "dairy",
    "greenhouse", "windmill", "marina", "citadel", "boulevard", "plaza", "cathedral", "arcade",
    "pavilion", "foundry", "granary", "tannery", "mint", "pier", "causeway", "viaduct",
)  # fmt: skip


def topic_name(number: int) -> str:
    """The ``number``-th topic: a plain word, so every story names exactly one."""
    word = _WORDS[number % len(_WORDS)]
    return word if number < len(_WORDS) else f"{word}{number // len(_WORDS)}"


async def prepare_live(
    path: Path, *, chats: int, stories: int, topics: int, now: datetime
) -> dict[int, set[str]]:
    """Chats 1..chats following topics live, then one poll of new stories; the expected titles."""
    from storage import Store
    from storage.ingest.jsonl import parse_jsonl

    expected: dict[int, set[str]] = {}
    titles = {
        number: f"{topic_name(number % topics).title()} works enter week {number}"
        for number in range(stories)
    }
    async with await Store.open(path) as store:
        live = store.live
        for chat_id in range(1, chats + 1):
            topic = topic_name(chat_id % topics)
            await store.chats.ensure(chat_id)
            await store.subscriptions.subscribe(chat_id, topic)
            await live.set_mode(chat_id, "", "live")
            expected[chat_id] = {
                title for number, title in titles.items() if number % topics == chat_id % topics
            }
        # The previous poll was scanned a second ago: only what follows is new.
        await live.enqueue([], scanned_until=now - timedelta(seconds=1), now=now)
        lines = [
            json.dumps(
                {
                    "title": title,
                    "source": "Bench Wire",
                    "url": f"https://bench.example.org/{number}",
                    "text": (
                        f"Work on the {topic_name(number % topics)} entered week {number} on "
                        "Monday, the city said. Crews replaced the old supports and expect to "
                        "finish before the winter storms. Residents were asked to use the "
                        f"detour signposted near the station. Report number {number}."
                    ),
                }
            )
            for number, title in titles.items()
        ]
        await store.articles.ingest(parse_jsonl(lines, name="poll.jsonl"))
    return expected


def live_card(summarizer: Any | None) -> Any:
    """The card of a story posted alone: summary_card, as /summary words it (no related)."""
    from bot.formatting import SummaryCard, summary_card

    async def card(article: Any, chat: Any, t: Any) -> str:
        if summarizer is None:
            sentences: tuple[str, ...] = (article.text[:300],)
        else:
            sentences = tuple(await summarizer.summarize_article(article, length="short"))
        shown = SummaryCard(
            title=article.title,
            sentences=sentences,
            url=article.url,
            source=article.source,
            published_at=article.published_at,
            article_id=article.id,
        )
        return summary_card(shown, time_zone=chat.time_zone if chat else "UTC", t=t)

    return card


def run(args: argparse.Namespace) -> int:
    """Run the live benchmark and print a report; exit 1 when a target is missed."""
    return run_in_workdir(_bench, args, prefix="newsbot-bench-live-")


async def _bench(args: argparse.Namespace, workdir: Path) -> int:
    from bot.digests.delivery import new_bot_client
    from bot.live import LiveDelivery
    from bot.summarizer import Summarizer, make_summary_executor
    from newsbot.benchmarks.digest import EmulatorProcess
    from storage import Store

    chats = args.live_chats
    path = workdir / "live-bench.db"
    path.unlink(missing_ok=True)
    now = datetime.now(UTC)
    expected = await prepare_live(
        path, chats=chats, stories=args.stories, topics=args.topics, now=now
    )
    wanted = sum(len(titles) for titles in expected.values())
    print(
        f"live: {chats} chats, {args.stories} new stories over {args.topics} topics: "
        f"{wanted} posts due"
    )
    emulator = EmulatorProcess(chats)
    executor = make_summary_executor(2)
    sends: list[float] = []
    try:
        async with await Store.open(path) as store:
            await emulator.start()
            bot = new_bot_client(emulator.token, emulator.base_url)
            await bot.initialize()
            delivery = LiveDelivery(
                store,
                bot,
                live_card(Summarizer(store, executor)),
                cap=max(args.cap, 1),
                on_sent=lambda chat_id: sends.append(time.monotonic()),
            )
            started = time.monotonic()
            try:
                report = await delivery.run_once(now=now + timedelta(seconds=1))
            finally:
                await bot.shutdown()
            stats = await emulator.stop()
            delivered = await _delivered_pairs(store, chats)
    finally:
        await emulator.stop()
        executor.shutdown()
    last = (sends[-1] - started) if sends else float("nan")
    received = int(stats.get("messages_delivered", 0))
    duplicates = received - delivered - report.batched
    # With more stories per chat than the cap, the rest is batched on purpose.
    per_chat = max((len(titles) for titles in expected.values()), default=0)
    missing = wanted - delivered if per_chat <= args.cap else 0
    rate_limited = int(stats.get("rate_limited", -1))
    print(f"queued {report.queued}, posted {report.posted}, batched {report.batched}")
    print(f"time to last post           {last:.1f} s ({received / max(last, 1e-9):.1f} msg/s)")
    print(f"  429 answers               {rate_limited}  {'ok' if rate_limited == 0 else 'FAIL'}")
    print(f"  duplicates                {duplicates}  {'ok' if duplicates == 0 else 'FAIL'}")
    print(f"  not posted                {missing}  {'ok' if missing == 0 else 'FAIL'}")
    print(f"peak RSS                    {peak_rss_mb():.0f} MB")
    return 0 if rate_limited == 0 and duplicates == 0 and missing == 0 else 1


async def _delivered_pairs(store: Any, chats: int) -> int:
    """Distinct (chat, story) pairs in the delivery log: what was meant to reach people."""
    delivered = await store.digests.delivered_stories(
        range(1, chats + 1), since=datetime.fromtimestamp(0, UTC)
    )
    return sum(len(stories) for stories in delivered.values())


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The --live options of ``newsbot bench digest``."""
    parser.add_argument(
        "--live", action="store_true", help="benchmark delivery as it happens instead"
    )
    parser.add_argument(
        "--live-chats", type=int, default=1_000, help="--live: chats (default: 1000)"
    )
    parser.add_argument(
        "--stories", type=int, default=200, help="--live: new stories in the poll (default: 200)"
    )
    parser.add_argument("--topics", type=int, default=40, help="--live: topics (default: 40)")
    parser.add_argument(
        "--cap", type=int, default=10, help="--live: posts per chat and hour (default: 10)"
    )
