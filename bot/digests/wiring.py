"""Wiring digests into the PTB application: the JobQueue tick and the digest buttons.

A run is started with ``application.create_task``, so ``Application.stop()`` waits for it; and
the run watches ``application.running``, so it ends right after the message in flight once
the bot is stopping. The chats it did not reach are still due in the database and go out
after the restart (within the catch-up grace period).
"""

from __future__ import annotations

from bot.digests import buttons
from bot.digests.scheduler import DigestScheduler, SchedulerConfig
from bot.services import NewsApplication, NewsContext

__all__ = ["install"]

_JOB_NAME = "digests"


class _SchedulerSlot:
    """The application's scheduler, made on the first tick (services exist only after init)."""

    def __init__(self, config: SchedulerConfig) -> None:
        self.config = config
        self.scheduler: DigestScheduler | None = None

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
            )
        self.scheduler.tick(lambda run: application.create_task(run, name="digest-run"))


def install(application: NewsApplication, config: SchedulerConfig | None = None) -> None:
    """Register the digest tick on the JobQueue and the digest buttons' handler."""
    slot = _SchedulerSlot(config or SchedulerConfig())
    buttons.register(application)
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("digests need the JobQueue (python-telegram-bot[job-queue])")
    job_queue.run_repeating(
        slot.tick,
        interval=slot.config.tick_seconds,
        first=1.0,
        name=_JOB_NAME,
        job_kwargs={"max_instances": 1, "coalesce": True},
    )
