"""Access decisions: by id or by username until the id is known; the latest decision wins."""

from datetime import UTC, datetime, timedelta

T0 = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


async def test_a_username_decision_is_tied_to_the_id_on_first_message(store):
    access = store.access
    await access.decide(allowed=True, username="@Alice", decided_by=999, now=T0)
    entry = await access.lookup(1001, "alice")
    assert entry is not None and entry.allowed and entry.subject_id is None
    await access.seen(1001, "Alice", now=T0 + timedelta(minutes=5))
    [entry] = await access.entries()
    assert (entry.subject_id, entry.username, entry.decided_by) == (1001, "alice", 999)
    assert entry.last_seen == T0 + timedelta(minutes=5)
    # Found by id now, even after a change of username.
    assert (await access.lookup(1001, "alice_new")).allowed


async def test_a_later_decision_replaces_the_earlier_one(store):
    access = store.access
    await access.decide(allowed=True, subject_id=1001, now=T0)
    await access.decide(allowed=False, subject_id=1001, username="alice", now=T0)
    [entry] = await access.entries()
    assert (entry.subject_id, entry.username, entry.allowed) == (1001, "alice", False)


async def test_last_seen_is_written_at_most_once_an_hour(store):
    access = store.access
    await access.seen(1001, None, now=T0)
    await access.seen(1001, None, now=T0 + timedelta(minutes=30))
    assert (await access.lookup(1001)).last_seen == T0
    await access.seen(1001, None, now=T0 + timedelta(minutes=61))
    assert (await access.lookup(1001)).last_seen == T0 + timedelta(minutes=61)


async def test_unknown_people_have_no_entry(store):
    assert await store.access.lookup(1001, "nobody") is None
