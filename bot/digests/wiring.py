"""Wiring digests into the PTB application: the scheduler's timer job.

A run is started with ``application.create_task``, so ``Application.stop()`` waits for it; and
the run watches ``application.running``, so it ends right after the message in flight once
the bot is stopping. The chats it did not reach are still due in the database and go out
after the restart (within the catch-up grace period).

The job is the scheduler's one timer (``bot.digests.timer``): it runs once right after start
(catch-up), then whenever the earliest due time comes, and every ``tick_seconds`` otherwise.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.digests.scheduler import DigestScheduler, RunReport, SchedulerConfig
from bot.digests.timer import JOB_NAME, wake_at
from bot.services import NewsApplication, NewsContext

__all__ = ["install"]


class _SchedulerSlot:
    """The application's scheduler, made on the first tick (services exist only after init)."""

    def __init__(self, config: SchedulerConfig) -> None:
        self.config = config
        self.scheduler: DigestScheduler | None = None
        self._run: asyncio.Task[RunReport] | None = None
        self._woken_during_run = False

    async def tick(self, context: NewsContext) -> None:
        application = context.application
        if not application.running:
            return
        if self.scheduler is None:
            services = context.services
            self.scheduler = DigestScheduler(
                services.store,
                context.bot,
                services.summarizer,
                config=self.config,
                keep_going=lambda: application.running,
                previews=services.settings.previews,
                via=f"@{context.bot.username}" if services.settings.channel_via else None,
            )
        run = self.scheduler.tick(lambda run: application.create_task(run, name="digest-run"))
        if run is self._run:
            # Woken while a run is going: what came due since its start goes right after it.
            self._woken_during_run = True
            return
        self._run = run
        job_queue = context.job_queue

        def rearm(done: asyncio.Task[RunReport]) -> None:
            if done.cancelled() or done.exception() is not None or job_queue is None:
                return
            next_due = done.result().next_due
            if self._woken_during_run:
                self._woken_during_run = False
                next_due = datetime.now(UTC)
            if next_due is not None and application.running:
                wake_at(job_queue, next_due)

        run.add_done_callback(rearm)


def install(application: NewsApplication, config: SchedulerConfig | None = None) -> None:
    """Register the digest timer on the JobQueue."""
    slot = _SchedulerSlot(config or SchedulerConfig())
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("digests need the JobQueue (python-telegram-bot[job-queue])")
    job_queue.run_repeating(
        slot.tick,
        interval=slot.config.tick_seconds,
        first=1.0,
        name=JOB_NAME,
        # A run moved to a due time that the loaded event loop reaches late still runs.
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
