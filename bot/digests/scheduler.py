"""The digest scheduler: runs that send the digests that are due, from the database.

Nothing about schedules lives in memory between runs: each chat's next due time is a column,
set when its schedule changes (``bot.digests.timer.reschedule``), so a restart simply picks
up whatever is due (or was interrupted) - within the catch-up grace period - and one indexed
query finds the due chats among any number of them. ``bot.digests.timer`` wakes the runs.

A run pages through the due chats (keyset paging), builds a page's digests, records them as
plans (every message, before the first is sent), and sends them while the next page is built;
each chat's schedule moves on as soon as its digest is out. A chat whose plan was recorded
before a crash gets the rest of that plan, not a new digest.
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
    keyboard_json,
)
from bot.digests.formatting import DigestMessage, format_nothing_new
from bot.digests.schedule import (
    DEFAULT_CATCH_UP_GRACE,
    decide_slot,
    next_due_after,
    schedule_of,
    zone,
)
from bot.i18n import resolve_language
from storage import Store
from storage.digests import DigestPlan, PlannedPart
from storage.models import Chat

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
    # The earliest due time that came after the run's start (None: none, or only chats the
    # run could not finish, which wait for the regular tick rather than wake runs back to back).
    next_due: datetime | None = None


# What a run hands its senders: the chat, its recorded plan (None: nothing to send) and its
# next due time.
_Delivery = tuple[Chat, DigestPlan | None, datetime | None]


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
        previews: bool = False,
        via: str | None = None,
    ) -> None:
        self._store = store
        self._via = via
        self._queries = store.digests
        self._summaries = summaries
        self.config = config or SchedulerConfig()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._pacer = DigestPacer(
            per_second=self.config.messages_per_second,
            chat_interval=self.config.chat_interval,
        )
        self._sender = DigestSender(bot, store, self._pacer, on_sent=on_sent, previews=previews)
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
            self._store, self._summaries, now=now, related_cache=self.related_cache, via=self._via
        )
        queue: asyncio.Queue[_Delivery | None] = asyncio.Queue(maxsize=self.config.page_size * 2)
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
                to_resume, to_build = await self._sort_page(page, now, report)
                for delivery in to_resume:
                    await queue.put(delivery)
                digests = await builder.build([chat for chat, _, _ in to_build])
                new_plans = [
                    (chat, self._plan(digest, slot, now), next_due)
                    for digest, (chat, slot, next_due) in zip(digests, to_build, strict=True)
                ]
                # Recorded before any of them is sent: after a crash the rest of each digest
                # comes from here, exactly as planned.
                await self._queries.record_plans(plan for _, plan, _ in new_plans if plan)
                for delivery in new_plans:
                    await queue.put(delivery)
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
        finally:
            for worker in workers:
                worker.cancel()
            # Workers finish (or abandon) their chat before the run ends.
            await asyncio.gather(*workers, return_exceptions=True)
        earliest = await self._queries.earliest_due()
        if earliest is not None and earliest > now:
            report.next_due = earliest
        _LOGGER.info(
            "Digest run: %d due, %d sent, %d nothing new, %d skipped as late, %d blocked",
            report.chats_due,
            report.digests_sent,
            report.nothing_new,
            report.skipped_late,
            report.blocked,
        )
        return report

    async def _sort_page(
        self, page: list[Chat], now: datetime, report: RunReport
    ) -> tuple[list[_Delivery], list[tuple[Chat, datetime, datetime | None]]]:
        """Split due chats into digests to resume from their plan and digests to build."""
        plans = await self._queries.digest_plans([chat.id for chat in page])
        to_resume: list[_Delivery] = []
        to_build: list[tuple[Chat, datetime, datetime | None]] = []
        for chat in page:
            schedule = schedule_of(chat)
            if schedule is None:
                continue
            decision = decide_slot(schedule, now, grace=self.config.grace)
            plan = plans.get(chat.id)
            if plan is not None and not (decision.send and plan.slot_at == decision.slot):
                # A digest for another slot, or one too late to finish: its unsent stories
                # go back to the pool for this or a later digest.
                await self._queries.release_plan(chat.id)
                plan = None
            if plan is not None:
                to_resume.append((chat, plan, decision.next_due_at))
            elif decision.send:
                assert decision.slot is not None
                to_build.append((chat, decision.slot, decision.next_due_at))
            else:
                report.skipped_late += 1
                await self._queries.finish_digest(
                    chat.id, digest_at=None, next_digest_at=decision.next_due_at
                )
        return to_resume, to_build

    async def _schedule_new(self, now: datetime) -> None:
        """Give chats whose schedule was written without a due time (imports, old rows) one.

        The bot's own schedule changes store the due time themselves (``reschedule``), from
        the moment of the change; this only catches writes that bypassed them.
        """
        while chats := await self._queries.unscheduled_chats(limit=1000):
            due_times: list[tuple[int, datetime | None]] = []
            for chat in chats:
                schedule = schedule_of(chat)
                due_times.append((chat.id, next_due_after(schedule, now) if schedule else None))
            await self._queries.set_next_digest_times(due_times, only_unscheduled=True)

    async def _deliver_from(
        self, queue: asyncio.Queue[_Delivery | None], now: datetime, report: RunReport
    ) -> None:
        while (item := await queue.get()) is not None:
            chat, plan, next_due = item
            if not self._keep_going():
                continue
            try:
                await self._deliver_and_record(chat, plan, next_due, now, report)
            except Exception:
                # One chat's failure (a database error, an unexpected answer) must not stop
                # the others; the chat stays due and the next run tries it again.
                _LOGGER.exception("Digest for chat %s failed", chat.id)
                report.failed += 1

    async def _deliver_and_record(
        self,
        chat: Chat,
        plan: DigestPlan | None,
        next_due: datetime | None,
        now: datetime,
        report: RunReport,
    ) -> None:
        outcome = DeliveryOutcome.EMPTY
        if plan is not None:
            outcome = await self._sender.send_plan(
                plan, message_thread_id=chat.message_thread_id, keep_going=self._keep_going
            )
        report.outcomes[chat.id] = outcome
        if outcome is DeliveryOutcome.INTERRUPTED:
            return
        if outcome is DeliveryOutcome.RETRY_LATER:
            # The plan stays: the retry (same slot, within grace) sends the rest of it.
            report.retry_later += 1
            await self._queries.finish_digest(
                chat.id, digest_at=None, next_digest_at=now + self.config.retry_delay
            )
            return
        if outcome is DeliveryOutcome.BLOCKED:
            report.blocked += 1
            await self._queries.release_plan(chat.id)
        elif outcome is DeliveryOutcome.FAILED:
            report.failed += 1
        elif outcome is DeliveryOutcome.EMPTY:
            report.nothing_new += 1
        else:
            report.digests_sent += 1
        # The next window starts where this digest's was built, not at a resumed run's now:
        # articles stored between a crash and the restart belong to the next digest.
        digest_at = plan.built_at if plan is not None else now
        await self._queries.finish_digest(chat.id, digest_at=digest_at, next_digest_at=next_due)

    def _plan(self, digest: ChatDigest, slot: datetime, now: datetime) -> DigestPlan | None:
        """The digest's messages as recorded before sending; None when nothing goes out."""
        messages: tuple[DigestMessage, ...] = digest.messages
        if not messages:
            if not (digest.chat.notify_empty and digest.topics):
                return None
            local_day = now.astimezone(zone(digest.chat.time_zone)).date()
            notice = format_nothing_new(
                local_day,
                digest.topics,
                language=resolve_language(digest.chat.language),
                channel=digest.chat.kind == "channel",
            )
            messages = (DigestMessage(notice, (), (), ()),)
        return DigestPlan(
            chat_id=digest.chat.id,
            slot_at=slot,
            built_at=now,
            parts=tuple(
                PlannedPart(
                    part=index,
                    text=message.text,
                    keyboard=keyboard_json(message.buttons),
                    article_ids=message.article_ids,
                )
                for index, message in enumerate(messages)
            ),
        )


def _log_failure(task: asyncio.Task[RunReport]) -> None:
    if not task.cancelled() and task.exception() is not None:
        _LOGGER.error("Digest run failed", exc_info=task.exception())
