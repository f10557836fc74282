"""Wiring digests into the PTB application: the JobQueue tick, the buttons, a clean stop."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.digests import buttons
from bot.digests.scheduler import DigestScheduler, SchedulerConfig
from bot.services import NewsApplication, NewsContext

__all__ = ["install"]

_LOGGER = logging.getLogger(__name__)
_JOB_NAME = "digests"


class _SchedulerSlot:
    """The application's scheduler, made on the first tick (services exist only after init)."""

    def __init__(self, config: SchedulerConfig) -> None:
        self.config = config
        self.scheduler: DigestScheduler | None = None

    async def tick(self, context: NewsContext) -> None:
        if self.scheduler is None:
            services = context.services
            self.scheduler = DigestScheduler(
                services.store, context.bot, services.summarizer, config=self.config
            )
        self.scheduler.tick()

    async def stop(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.stop()
            self.scheduler = None


def install(application: NewsApplication, config: SchedulerConfig | None = None) -> None:
    """Register the digest tick on the JobQueue, the digest buttons, and a clean stop."""
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
    previous: Callable[[NewsApplication], Awaitable[None]] | None = application.post_stop

    async def post_stop(app: NewsApplication) -> None:
        # Before post_shutdown closes the store: let the message in flight finish, then stop.
        await slot.stop()
        if previous is not None:
            await previous(app)

    application.post_stop = post_stop
