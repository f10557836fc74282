"""Feed polling on the job queue: NEWSBOT_FEEDS added at start, due feeds polled every minute.

feeds.polling decides which feeds are due (each feed's own interval and back-off), so the
job only has to tick; a tick with nothing due costs one indexed query.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.services import NewsApplication, NewsContext
from feeds.headline_pages import ArticlePages
from feeds.polling import poll_due_feeds
from storage.feeds import FeedEntry

__all__ = ["TICK", "start_feed_polling"]

_LOGGER = logging.getLogger(__name__)

TICK = timedelta(minutes=1)


async def poll_feeds(context: NewsContext) -> None:
    """Poll every due feed; failures are recorded per feed by the poller, never raised here."""
    services = context.services
    pages = context.job.data if context.job is not None else None
    report = await poll_due_feeds(
        services.store,
        services.http,
        interval=timedelta(minutes=services.settings.feed_poll_minutes),
        pages=pages if isinstance(pages, ArticlePages) else None,
    )
    if report.polled:
        _LOGGER.info(
            "Polled %d feeds: %d new articles, %d new headlines, %d failed",
            report.polled,
            report.new_articles,
            report.new_headlines,
            report.failed,
        )


async def start_feed_polling(application: NewsApplication) -> None:
    """Add the configured feeds and schedule polling (call from post_init)."""
    services = application.bot_data.services
    if services.settings.feeds:
        added = await services.store.feeds.add_many(
            FeedEntry(url) for url in services.settings.feeds
        )
        _LOGGER.info("Added %d new feeds from NEWSBOT_FEEDS", len(added))
    if application.job_queue is not None:
        # One page fetcher for the bot's life: its per-host pauses and URL cache span polls.
        pages = ArticlePages(services.http) if services.settings.fetch_pages else None
        application.job_queue.run_repeating(
            poll_feeds, interval=TICK, first=1, name="feeds", data=pages
        )
