"""Subscriptions and topic normalisation."""

from datetime import time

import pytest

from storage import InvalidTopicError, Store, normalize_topic
from storage.subscriptions import MAX_TOPICS


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("  Climate   Change ", "climate change"),
        ("UKRAINE", "ukraine"),
        ("x" * 80, "x" * 64),
        ('"nato" OR near(', '"nato" or near('),
    ],
)
def test_normalize_topic_trims_lowercases_collapses_and_caps(raw: str, normalized: str) -> None:
    assert normalize_topic(raw) == normalized


@pytest.mark.parametrize("raw", ["", "   ", "\n\t"])
def test_normalize_topic_rejects_empty_topics(raw: str) -> None:
    with pytest.raises(InvalidTopicError):
        normalize_topic(raw)


async def test_subscribe_reports_whether_the_topic_was_new(store: Store) -> None:
    await store.chats.ensure(1)
    assert await store.subscriptions.subscribe(1, "Ukraine")
    assert not await store.subscriptions.subscribe(1, "  ukraine ")
    assert await store.subscriptions.subscribe(1, "Climate Change")
    assert await store.subscriptions.topics(1) == ["climate change", "ukraine"]


async def test_unsubscribe_reports_whether_the_topic_was_there(store: Store) -> None:
    await store.chats.ensure(1)
    await store.subscriptions.subscribe(1, "ukraine")
    assert await store.subscriptions.unsubscribe(1, "UKRAINE")
    assert not await store.subscriptions.unsubscribe(1, "ukraine")
    assert await store.subscriptions.topics(1) == []


async def test_subscribing_to_an_empty_topic_raises(store: Store) -> None:
    await store.chats.ensure(1)
    with pytest.raises(InvalidTopicError):
        await store.subscriptions.subscribe(1, "   ")


async def test_a_first_topic_switches_the_first_schedule_on_in_the_same_write(
    store: Store,
) -> None:
    first = await store.subscriptions.subscribe_offering_schedule(
        3, "harbour", at=time(8, 0), message_thread_id=17
    )
    assert first == (True, True)
    chat = await store.chats.get(3)
    assert chat is not None
    assert (chat.digest_time, chat.message_thread_id) == (time(8, 0), 17)
    # The offer comes once: a later topic, or a chat that switched it off, keeps its choice.
    assert await store.subscriptions.subscribe_offering_schedule(3, "trams", at=time(8, 0)) == (
        True,
        False,
    )
    await store.chats.update(3, digest_time=None)
    assert await store.subscriptions.subscribe_offering_schedule(3, "ferries", at=time(8, 0)) == (
        True,
        False,
    )


async def test_a_refused_topic_switches_no_schedule_on(store: Store) -> None:
    for number in range(MAX_TOPICS):
        await store.subscriptions.subscribe(4, f"topic {number}")
    with pytest.raises(InvalidTopicError):
        await store.subscriptions.subscribe_offering_schedule(4, "one too many", at=time(8, 0))
    chat = await store.chats.get(4)
    assert chat is not None and chat.digest_time is None
