"""Subscriptions and topic normalisation."""

import pytest

from storage import InvalidTopicError, Store, normalize_topic


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
