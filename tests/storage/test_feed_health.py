"""Feed health: when a feed's run of failures began, kept by triggers on the failure count."""

from datetime import UTC, datetime, timedelta

from storage import Store
from storage import feeds as feed_rows
from storage.feed_health import failing_feeds

# Later than any failure the tests record, even when the whole suite runs for many minutes
# after this module is imported (five minutes was not enough under load).
SOON = datetime.now(UTC) + timedelta(hours=12)


async def _fail(store: Store, feed_id: int) -> None:
    async with store.database.write() as connection:
        await feed_rows.record_poll_failure(
            connection, feed_id, error="HTTP 500", next_poll_at=SOON
        )


async def test_a_feed_is_failing_from_its_first_failure_until_a_success(store: Store) -> None:
    feed, _ = await store.add_feed("https://example.com/rss", title="Example")
    assert await failing_feeds(store.database, SOON) == []
    await _fail(store, feed.id)
    [first] = await failing_feeds(store.database, SOON)
    await _fail(store, feed.id)
    [second] = await failing_feeds(store.database, SOON)
    assert second.failing_since == first.failing_since  # the run's start, not the latest
    assert (second.failures, second.title, second.last_error) == (2, "Example", "HTTP 500")
    assert await failing_feeds(store.database, first.failing_since - timedelta(seconds=1)) == []
    async with store.database.write() as connection:
        await feed_rows.record_poll_success(
            connection, feed.id, etag=None, last_modified=None, title=None, next_poll_at=SOON
        )
    assert await failing_feeds(store.database, SOON) == []
