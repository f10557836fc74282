"""Digests inside the running bot: /digest, the JobQueue tick after a restart, digest buttons."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from emulator.server import BotApiEmulator
from storage import Store
from tests.bot.conftest import Conversation

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@pytest.fixture
async def due_reader(news: None, database_path: Path, chat: Conversation) -> Conversation:
    """A reader of "ukraine" whose digest fell due a minute ago, while the bot was down."""
    due = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    store = await Store.open(database_path)
    try:
        await store.chats.ensure(chat.chat_id)
        await store.subscriptions.subscribe(chat.chat_id, "ukraine")
        await store.chats.update(chat.chat_id, digest_time=due.time(), time_zone="UTC")
        await store.digests.set_next_digest_times([(chat.chat_id, due)])
    finally:
        await store.close()
    chat.emu.add_chat(chat.chat_id)
    return chat


async def test_digest_command_shows_the_digest_and_then_nothing_new(bot_app, chat, news):
    await chat.ask("/subscribe ukraine")
    reply = await chat.ask("/digest")
    assert reply.text.startswith("Your digest · ukraine")
    assert "1. " in reply.text and "Geneva" in reply.text
    again = await chat.ask("/digest")
    assert again.text.startswith("Nothing new on your topics")


async def test_a_digest_due_while_the_bot_was_down_is_sent_when_it_starts(
    due_reader: Conversation, bot_app, emu: BotApiEmulator
):
    [digest] = await emu.wait_for_messages(due_reader.chat_id, count=1, timeout=15)
    assert digest.text.startswith("Your digest · ukraine")
    assert any("Full summary" in label for label, _ in digest.buttons)
    assert emu.stats.rate_limited == 0


async def test_digest_buttons_give_a_longer_summary_and_unfollow_the_topic_with_undo(
    due_reader: Conversation, bot_app, emu: BotApiEmulator
):
    [digest] = await emu.wait_for_messages(due_reader.chat_id, count=1, timeout=15)

    answer = await due_reader.press(digest, "1 Full summary")
    [card] = await emu.wait_for_messages(due_reader.chat_id, count=1, timeout=10)
    assert answer is not None
    first_title = digest.text.splitlines()[3].split(". ", 1)[1]
    assert card.text.startswith(first_title)
    digest_summary = digest.text.splitlines()[4]
    # More than the digest said: never the same sentences again.
    assert digest_summary in card.text and len(card.text) > len(digest_summary) + len(first_title)

    await due_reader.press(digest, "Unfollow ukraine")
    [notice] = await emu.wait_for_messages(due_reader.chat_id, count=1, timeout=10)
    assert notice.text == "You no longer follow ukraine."
    reply = await due_reader.ask("/digest")
    assert "/subscribe" in reply.text

    await due_reader.press(notice, "Undo")
    topics = await due_reader.ask("/topics")
    assert "ukraine" in topics.text


async def test_a_group_member_cannot_use_up_the_admins_scheduled_digest(
    bot_app, emu: BotApiEmulator, new_chat_id: int, news
):
    admin = Conversation(emu, -new_chat_id, user_id=601, chat_type="group")
    await admin.ask("/help")
    emu.set_chat_admins(admin.chat_id, [601])
    await admin.ask("/subscribe ukraine")
    member = Conversation(emu, admin.chat_id, user_id=602, chat_type="group")

    refused = await member.ask("/digest")
    assert refused.text.startswith("In a group only its admins can ask for the digest now")
    listing = await admin.ask("/topics")
    answer = await member.press(listing, "Digest now")
    assert answer.text is not None and answer.text.startswith("In a group only its admins")
    store = bot_app.bot_data.services.store
    assert await store.digests.delivered_stories([admin.chat_id], since=EPOCH) == {}

    # The stories are still the schedule's (and the admins' own /digest's).
    digest = await admin.ask("/digest")
    assert digest.text.startswith("Your digest · ukraine")
