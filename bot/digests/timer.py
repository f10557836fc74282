"""The one timer that wakes the digest scheduler: a JobQueue job whose next run is moved to the
earliest due time whenever one comes closer.

The job repeats every ``SchedulerConfig.tick_seconds`` as a safety net (a chat that becomes due
without a schedule change, such as one unpaused after its slot); digests due sooner wake it on
time instead: a schedule change moves it to the chat's due time (``schedule_changed``), and
after each run it is moved to the earliest due time left in the database.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.ext import JobQueue

from bot.digests.schedule import next_due_after, schedule_of
from bot.services import NewsContext
from storage import Store

__all__ = ["JOB_NAME", "changed_at", "reschedule", "schedule_changed", "wake_at"]

_LOGGER = logging.getLogger(__name__)

JOB_NAME = "digests"


def wake_at(job_queue: JobQueue[Any], at: datetime) -> None:
    """Make the scheduler's next run no later than ``at`` (now, if ``at`` has passed)."""
    for job in job_queue.get_jobs_by_name(JOB_NAME):
        now = datetime.now(UTC)
        when = max(at, now)
        next_run = job.next_t
        if next_run is None or when < next_run:
            _LOGGER.debug("Digest scheduler wakes at %s", when)
            job.job.modify(next_run_time=when)


async def reschedule(store: Store, chat_id: int, *, now: datetime) -> datetime | None:
    """Store the chat's next due time as of ``now``, the moment its schedule changed.

    A slot later today is today's, however close; one that has just passed is tomorrow's.
    Returns the due time (None when the digest is off), for the timer.
    """
    queries = store.digests
    chat = await store.chats.get(chat_id)
    if chat is None:
        return None
    schedule = schedule_of(chat)
    due = next_due_after(schedule, now) if schedule else None
    if schedule is not None:
        await queries.set_next_digest_times([(chat_id, due)])
    return due


def changed_at(update: Update) -> datetime:
    """When the reader made a change: a command's own time, so a slot it names that passed
    while the update waited in the queue is still today's; a button press is now."""
    now = datetime.now(UTC)
    message = update.message
    if message is None:
        return now
    return min(message.date.astimezone(UTC), now)


async def schedule_changed(update: Update, context: NewsContext, chat_id: int) -> datetime | None:
    """Store the chat's next due time from the moment of its change and set the timer to it."""
    due = await reschedule(context.services.store, chat_id, now=changed_at(update))
    if due is not None and context.job_queue is not None:
        wake_at(context.job_queue, due)
    return due
