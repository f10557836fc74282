"""The digest scheduler: a periodic tick that sends the digests that are due, from the database.

Nothing about schedules lives in memory between runs: each chat's next due time is a column,
so a restart simply picks up whatever is due (or was interrupted) - within the catch-up grace
period - and one indexed query finds the due chats among any number of them.

A run pages through the due chats (keyset paging), builds a page's digests while the previous
page is being sent, and moves each chat's schedule on as soon as its digest is out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot

from bot.digests.builder import ArticleSummaries, ChatDigest, DigestBuilder, RelatedCache
from bot.digests.delivery import (
    DEFAULT_CHAT_INTERVAL,
    DEFAULT_MESSAGES_PER_SECOND,
    DeliveryOutcome,
    DigestPacer,
    DigestSender,
)
from bot.digests.formatting import DigestMessage, format_nothing_new
from bot.digests.schedule import (
    DEFAULT_CATCH_UP_GRACE,
    DigestSchedule,
    decide_slot,
    next_due_after,
    zone,
)
from bot.i18n import resolve_language
from storage import Store
from storage.digests import DigestChat, DigestQueries

__all__ = ["DigestScheduler", "RunReport", "SchedulerConfig", "schedule_of"]

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SchedulerConfig:
    """Knobs of the scheduler; the defaults suit Telegram's public limits."""

    tick_seconds: float = 30.0
    grace: timedelta = DEFAULT_CATCH_UP_GRACE
    page_size: int = 200
    senders: int = 64
    messages_per_second: float = DEFAULT_MESSAGES_PER_SECOND
    chat_interval: float = DEFAULT_CHAT_INTERVAL
    # After a network failure a chat's digest is tried again this much later (within grace).
    retry_delay: timedelta = timedelta(minutes=5)


@dataclass(slots=True)
class RunReport:
    """What one run did."""

    chats_due: int = 0
    digests_sent: int = 0
    nothing_new: int = 0
    skipped_late: int = 0
    blocked: int = 0
    failed: int = 0
    retry_later: int = 0
    outcomes: dict[int, DeliveryOutcome] = field(default_factory=dict)


def schedule_of(chat: DigestChat) -> DigestSchedule | None:
    """The chat's schedule, or None when its digest is off."""
    if chat.digest_time is None:
        return None
    return DigestSchedule(chat.digest_time, chat.time_zone, chat.digest_days)


class DigestScheduler:
    """Runs digest rounds for one bot and one store; ``tick()`` is safe to call any time."""

    def __init__(
        self,
        store: Store,
        bot: Bot,
        summaries: ArticleSummaries | None,
        *,
        config: SchedulerConfig | None = None,
        clock: Callable[[], datetime] | None = None,
        keep_going: Callable[[], bool] = lambda: True,
        on_sent: Callable[[int], None] | None = None,
    ) -> None:
        self._store = store
        self._queries = DigestQueries(store.database)
        self._summaries = summaries
        self.config = config or SchedulerConfig()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._pacer = DigestPacer(
            per_second=self.config.messages_per_second,
            chat_interval=self.config.chat_interval,
        )
        self._sender = DigestSender(bot, store, self._pacer, on_sent=on_sent)
        self.related_cache = RelatedCache()
        self._run: asyncio.Task[RunReport] | None = None
        # False once the bot is stopping: the run ends after the message in flight.
        self._keep_going = keep_going

    @property
    def messages_sent(self) -> int:
        """Digest messages sent since this scheduler was made."""
        return self._sender.messages_sent

    def tick(
        self,
        spawn: Callable[[Coroutine[Any, Any, RunReport]], asyncio.Task[RunReport]] | None = None,
    ) -> asyncio.Task[RunReport]:
        """Start a run unless one is going (``spawn`` makes the task); return the running one."""
        if self._run is None or self._run.done():
            run = self.run_once()
            self._run = spawn(run) if spawn else asyncio.create_task(run, name="digest-run")
            self._run.add_done_callback(_log_failure)
        return self._run

    async def stop(self) -> None:
        """Cancel the current run; the message in flight is finished and logged first."""
        if self._run is not None and not self._run.done():
            self._run.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._run

    async def run_once(self, now: datetime | None = None) -> RunReport:
        """Send every digest due at ``now``; return what happened."""
        now = now or self._clock()
        report = RunReport()
        await self._schedule_new(now)
        builder = DigestBuilder(
            self._store, self._summaries, now=now, related_cache=self.related_cache
        )
        queue: asyncio.Queue[tuple[ChatDigest, datetime | None] | None] = asyncio.Queue(
            maxsize=self.config.page_size * 2
        )
        workers = [
            asyncio.create_task(self._deliver_from(queue, now, report))
            for _ in range(self.config.senders)
        ]
        try:
            after: tuple[datetime, int] | None = None
            while self._keep_going():
                page = await self._queries.due_chats(now, limit=self.config.page_size, after=after)
                if not page:
                    break
                last = page[-1]
                assert last.next_digest_at is not None
                after = (last.next_digest_at, last.id)
                report.chats_due += len(page)
                to_build: list[tuple[DigestChat, datetime | None]] = []
                for chat in page:
                    schedule = schedule_of(chat)
                    if schedule is None:
                        continue
                    decision = decide_slot(schedule, now, grace=self.config.grace)
                    if decision.send:
                        to_build.append((chat, decision.next_due_at))
                    else:
                        report.skipped_late += 1
                        await self._queries.finish_digest(
                            chat.id, digest_at=None, next_digest_at=decision.next_due_at
                        )
                digests = await builder.build([chat for chat, _ in to_build])
                for digest, (_, next_due) in zip(digests, to_build, strict=True):
                    await queue.put((digest, next_due))
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
        finally:
            for worker in workers:
                worker.cancel()
            # Workers finish (or abandon) their chat before the run ends.
            await asyncio.gather(*workers, return_exceptions=True)
        _LOGGER.info(
            "Digest run: %d due, %d sent, %d nothing new, %d skipped as late, %d blocked",
            report.chats_due,
            report.digests_sent,
            report.nothing_new,
            report.skipped_late,
            report.blocked,
        )
        return report

    async def _schedule_new(self, now: datetime) -> None:
        """Give chats with a new or changed schedule their next due time."""
        while chats := await self._queries.unscheduled_chats(limit=1000):
            due_times: list[tuple[int, datetime | None]] = []
            for chat in chats:
                schedule = schedule_of(chat)
                due_times.append((chat.id, next_due_after(schedule, now) if schedule else None))
            await self._queries.set_next_digest_times(due_times)

    async def _deliver_from(
        self,
        queue: asyncio.Queue[tuple[ChatDigest, datetime | None] | None],
        now: datetime,
        report: RunReport,
    ) -> None:
        while (item := await queue.get()) is not None:
            digest, next_due = item
            if not self._keep_going():
                continue
            try:
                await self._deliver_and_record(digest, next_due, now, report)
            except Exception:
                # One chat's failure (a database error, an unexpected answer) must not stop
                # the others; the chat stays due and the next run tries it again.
                _LOGGER.exception("Digest for chat %s failed", digest.chat.id)
                report.failed += 1

    async def _deliver_and_record(
        self, digest: ChatDigest, next_due: datetime | None, now: datetime, report: RunReport
    ) -> None:
        outcome = await self._deliver(digest, now)
        report.outcomes[digest.chat.id] = outcome
        if outcome is DeliveryOutcome.INTERRUPTED:
            return
        if outcome is DeliveryOutcome.RETRY_LATER:
            report.retry_later += 1
            await self._queries.finish_digest(
                digest.chat.id, digest_at=None, next_digest_at=now + self.config.retry_delay
            )
            return
        if outcome is DeliveryOutcome.BLOCKED:
            report.blocked += 1
        elif outcome is DeliveryOutcome.FAILED:
            report.failed += 1
        elif outcome is DeliveryOutcome.EMPTY:
            report.nothing_new += 1
        else:
            report.digests_sent += 1
        await self._queries.finish_digest(digest.chat.id, digest_at=now, next_digest_at=next_due)

    async def _deliver(self, digest: ChatDigest, now: datetime) -> DeliveryOutcome:
        messages: tuple[DigestMessage, ...] = digest.messages
        if not messages:
            if not (digest.chat.notify_empty and digest.topics):
                return DeliveryOutcome.EMPTY
            local_day = now.astimezone(zone(digest.chat.time_zone)).date()
            notice = format_nothing_new(
                local_day, digest.topics, language=resolve_language(digest.chat.language)
            )
            messages = (DigestMessage(notice, (), (), ()),)
        return await self._sender.send_digest(
            digest.chat.id,
            messages,
            at=now,
            message_thread_id=digest.chat.message_thread_id,
            keep_going=self._keep_going,
        )


def _log_failure(task: asyncio.Task[RunReport]) -> None:
    if not task.cancelled() and task.exception() is not None:
        _LOGGER.error("Digest run failed", exc_info=task.exception())
