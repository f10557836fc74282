"""Polling due feeds: conditional requests, limits, back-off; one feed's failure stays its own."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from feeds.errors import FetchError
from feeds.fetch import Fetcher
from feeds.headline_pages import ArticlePages
from storage.errors import StorageError
from storage.ingest.feeds import parse_feed
from storage.ingest.records import HeadlineRecord, Record
from storage.models import Feed, PollReport
from storage.store import Store
from storage.timestamps import now_utc

_LOGGER = logging.getLogger(__name__)

POLL_INTERVAL = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=12)
CONCURRENT_POLLS = 4


def backoff(failures: int, interval: timedelta = POLL_INTERVAL) -> timedelta:
    """Delay before the next try after ``failures`` failures in a row: doubling, capped."""
    delay: timedelta = interval * (2 ** min(failures, 16))
    return min(MAX_BACKOFF, delay)


async def complete_headlines(
    store: Store, pages: ArticlePages | None, records: list[Record]
) -> list[Record]:
    """Records with new linked headlines completed from their pages (when ``pages`` is given)."""
    if pages is None:
        return records
    urls = [r.url for r in records if isinstance(r, HeadlineRecord) and r.url is not None]
    if not urls:
        return records
    # A page stored on an earlier poll (or by another feed) is not fetched again.
    return await pages.complete(records, skip_urls=await store.articles.stored_urls(urls))


async def _poll_one(
    store: Store,
    fetcher: Fetcher,
    feed: Feed,
    now: datetime,
    *,
    interval: timedelta,
    pages: ArticlePages | None,
    feed_slots: asyncio.Semaphore,
) -> PollReport:
    try:
        # Only the feed download takes one of the few feed slots: the pages of its headlines
        # are bounded by ArticlePages (one per host, a global limit), so slow article pages of
        # one site never hold up the polling of the others.
        async with feed_slots:
            response = await fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        if response.not_modified:
            new_articles = new_headlines = 0
            title = None
        else:
            extra = (feed.topic,) if feed.topic else ()
            parsed = await asyncio.to_thread(
                parse_feed,
                response.body,
                name=feed.url,
                extra_categories=extra,
                content_type=response.content_type,
            )
            records = await complete_headlines(
                store, pages if feed.fetch_pages else None, parsed.records
            )
            report = await store.articles.ingest(records, skip_bad=True, feed_id=feed.id, now=now)
            new_articles, new_headlines, title = (
                report.new_articles,
                report.new_headlines,
                parsed.title,
            )
        await store.feeds.record_poll_success(
            feed.id,
            etag=response.etag,
            last_modified=response.last_modified,
            title=title,
            next_poll_at=now + interval,
        )
    except Exception as error:  # any failure, even a bug, belongs to this feed alone
        if not isinstance(error, (FetchError, StorageError)):
            _LOGGER.exception("unexpected error polling %s", feed.url)
        message = f"{feed.url}: {error}"
        await store.feeds.record_poll_failure(
            feed.id, error=str(error), next_poll_at=now + backoff(feed.failures + 1, interval)
        )
        return PollReport(polled=1, failed=1, errors=(message,))
    return PollReport(
        polled=1,
        not_modified=int(response.not_modified),
        new_articles=new_articles,
        new_headlines=new_headlines,
    )


async def poll_due_feeds(
    store: Store,
    fetcher: Fetcher,
    now: datetime | None = None,
    *,
    interval: timedelta = POLL_INTERVAL,
    pages: ArticlePages | None = None,
) -> PollReport:
    """Poll every feed that is due, a few at a time, and sum up what happened.

    With ``pages``, the article pages of new headline-only items are fetched and extracted.
    """
    now = now or now_utc()
    due = await store.feeds.due(now)
    limit = asyncio.Semaphore(CONCURRENT_POLLS)
    reports = await asyncio.gather(
        *(
            _poll_one(store, fetcher, feed, now, interval=interval, pages=pages, feed_slots=limit)
            for feed in due
        )
    )
    return PollReport(
        polled=sum(r.polled for r in reports),
        not_modified=sum(r.not_modified for r in reports),
        failed=sum(r.failed for r in reports),
        new_articles=sum(r.new_articles for r in reports),
        new_headlines=sum(r.new_headlines for r in reports),
        errors=tuple(error for r in reports for error in r.errors),
    )
