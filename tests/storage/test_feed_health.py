"""Feed health: when a feed's run of failures began, kept by triggers on the failure count."""

from datetime import UTC, datetime, timedelta

from storage import Store


def soon() -> datetime:
    """Five minutes from now, read when used: the suite can reach a test long after importing it."""
    return datetime.now(UTC) + timedelta(minutes=5)


async def _fail(store: Store, feed_id: int) -> None:
    await store.feeds.record_poll_failure(feed_id, error="HTTP 500", next_poll_at=soon())


async def test_a_feed_is_failing_from_its_first_failure_until_a_success(store: Store) -> None:
    feed, _ = await store.feeds.add("https://example.com/rss", title="Example")
    assert await store.feeds.failing(soon()) == []
    await _fail(store, feed.id)
    [first] = await store.feeds.failing(soon())
    await _fail(store, feed.id)
    [second] = await store.feeds.failing(soon())
    assert second.failing_since == first.failing_since  # the run's start, not the latest
    assert (second.failures, second.title, second.last_error) == (2, "Example", "HTTP 500")
    assert await store.feeds.failing(first.failing_since - timedelta(seconds=1)) == []
    await store.feeds.record_poll_success(
        feed.id, etag=None, last_modified=None, title=None, next_poll_at=soon()
    )
    assert await store.feeds.failing(soon()) == []
