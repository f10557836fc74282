"""Chats and their preferences."""

from datetime import UTC, datetime, time

import pytest

from storage import Chat, StorageError, Store


async def test_ensure_chat_creates_a_chat_with_defaults(store: Store) -> None:
    chat = await store.chats.ensure(42, kind="group", language="en")
    assert chat == Chat(id=42, kind="group", language="en")
    assert await store.chats.get(42) == chat


async def test_get_chat_returns_none_for_an_unknown_chat(store: Store) -> None:
    assert await store.chats.get(7) is None


async def test_update_chat_changes_only_the_given_fields(store: Store) -> None:
    await store.chats.ensure(1)
    sent = datetime(2025, 1, 2, 8, 0, tzinfo=UTC)
    chat = await store.chats.update(
        1,
        time_zone="Europe/Berlin",
        digest_time=time(7, 30),
        digest_days=frozenset({0, 2, 4}),
        message_thread_id=9,
        last_digest_at=sent,
    )
    assert chat.time_zone == "Europe/Berlin"
    assert chat.digest_time == time(7, 30)
    assert chat.digest_days == frozenset({0, 2, 4})
    assert chat.message_thread_id == 9
    assert chat.last_digest_at == sent
    assert chat.summary_length == "medium"
    cleared = await store.chats.update(1, digest_time=None, message_thread_id=None)
    assert cleared.digest_time is None
    assert cleared.message_thread_id is None
    assert cleared.time_zone == "Europe/Berlin"


async def test_update_chat_of_an_unknown_chat_raises(store: Store) -> None:
    with pytest.raises(StorageError, match="no chat 5"):
        await store.chats.update(5, paused=True)


async def test_an_inactive_chat_becomes_active_again_on_ensure(store: Store) -> None:
    await store.chats.ensure(3)
    await store.chats.set_active(3, False)
    assert (await store.chats.get(3)) == Chat(id=3, active=False)
    assert (await store.chats.ensure(3)).active


async def test_forget_chat_removes_the_chat_and_its_subscriptions(store: Store) -> None:
    await store.chats.ensure(4)
    await store.subscriptions.subscribe(4, "ukraine")
    await store.chats.forget(4)
    assert await store.chats.get(4) is None
    assert await store.subscriptions.topics(4) == []


async def test_every_setting_of_a_chat_is_changed_by_one_update(store: Store) -> None:
    await store.chats.ensure(7)
    chat = await store.chats.update(
        7, summary_length="long", max_stories=50, notify_empty=True, lookback_hours=0
    )
    assert chat.summary_length == "long"
    assert chat.max_stories == 20  # capped
    assert chat.notify_empty
    assert chat.lookback_hours == 1  # at least an hour
    assert await store.chats.get(7) == chat
