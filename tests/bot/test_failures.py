"""Stale buttons, blocked users, 429s, server errors, crashes in handlers, and restarts."""

import logging

import pytest

from bot.app import build_application
from bot.replies import Delivery, deliver
from bot.runner import serving
from storage import Store
from tests.bot.conftest import Conversation, settle


@pytest.mark.parametrize("data", ["garbage", "0u:old-format", "1u:", "1?:x"])
async def test_stale_or_unknown_button_is_answered_politely(bot_app, chat, data):
    reply = await chat.ask("/help")
    answer = await chat.press_data(reply.message_id, data)
    assert answer.text is not None
    assert "expired" in answer.text or "no longer" in answer.text


async def test_button_on_a_deleted_message_is_answered(bot_app, chat):
    await chat.ask("/help")
    answer = await chat.press_data(999_999, "1c:")
    assert answer.text == "This button has expired. Send the command again for fresh buttons."


async def test_blocked_user_is_marked_inactive_and_active_again_after_writing(bot_app, emu, chat):
    await chat.ask("/subscribe ukraine")
    store = bot_app.bot_data.services.store
    emu.block_bot(chat.chat_id)
    await settle(emu, bot_app)
    assert not (await store.chats.get(chat.chat_id)).active
    # A fan-out to them is refused and reported, never raised.
    outcome = await deliver(bot_app.bot, store, chat.chat_id, "<b>news</b>")
    assert outcome is Delivery.BLOCKED
    reply = await chat.ask("/topics")  # writing unblocks
    assert "ukraine" in reply.text
    assert (await store.chats.get(chat.chat_id)).active


async def test_403_on_a_reply_marks_the_chat_inactive(bot_app, emu, chat):
    panel = await chat.ask("/forget")
    emu.block_bot(chat.chat_id)
    await settle(emu, bot_app)
    store = bot_app.bot_data.services.store
    await store.chats.ensure(chat.chat_id)  # active again, as if the block had been missed
    await chat.press(panel, "Cancel")  # the edit answers 403
    await settle(emu, bot_app)
    assert not (await store.chats.get(chat.chat_id)).active
    assert emu.stats.forbidden >= 1


async def test_429_waits_retry_after_and_retries(bot_app, emu, chat):
    emu.faults.rate_limit_storm(seconds=0.5, retry_after=1)
    reply = await chat.ask("/help")
    assert "What I can do" in reply.text
    assert emu.stats.rate_limited >= 1


async def test_server_errors_are_retried_with_backoff(bot_app, emu, chat):
    emu.faults.fail_next(2, status=502, methods=["sendMessage"])
    reply = await chat.ask("/help")
    assert "What I can do" in reply.text


async def test_persistent_network_failure_gives_up_with_a_log_line(bot_app, emu, chat, caplog):
    emu.faults.fail_next(4, status=502, methods=["sendMessage"])
    with caplog.at_level(logging.WARNING, logger="bot"):
        apology = await chat.ask("/help")
    assert "Giving up on sendMessage after 4 attempts" in caplog.text
    assert apology.text == "Sorry, something went wrong on my side. Please try again in a moment."


async def test_unexpected_error_is_logged_and_user_gets_a_short_apology(
    bot_app, settings, chat, caplog
):
    services = bot_app.bot_data.services
    await services.store.close()  # the database goes away under the bot
    try:
        with caplog.at_level(logging.ERROR, logger="bot"):
            reply = await chat.ask("/topics")
    finally:
        services.store = await Store.open(settings.database_path)
    assert reply.text == "Sorry, something went wrong on my side. Please try again in a moment."
    assert "Traceback" not in reply.text
    assert "Unhandled error in update" in caplog.text


async def test_subscriptions_survive_a_restart(emu, settings, summary_executor, pages, new_chat_id):
    chat = Conversation(emu, new_chat_id)
    async with serving(
        build_application(settings, summary_executor=summary_executor, fetcher=pages)
    ):
        await chat.ask("/subscribe ukraine")
        await chat.ask("/schedule 06:45 Europe/Kyiv")
    async with serving(
        build_application(settings, summary_executor=summary_executor, fetcher=pages)
    ):
        topics = await chat.ask("/topics")
        schedule = await chat.ask("/schedule")
    assert "• ukraine" in topics.text
    assert schedule.text.startswith("Daily digest: 06:45 Europe/Kyiv")


async def test_an_update_that_fails_is_handled_once_with_one_apology(
    bot_app, settings, emu, chat, caplog
):
    services = bot_app.bot_data.services
    # The timers (the digest run due a second after start) would fail on the closed database
    # too, on their own: on a loaded machine that can fall within this test.
    for job in bot_app.job_queue.jobs():
        job.enabled = False
    # A new chat's first message passes two handler groups (remembering the chat, then the
    # command), and with the database gone both fail.
    await services.store.close()
    try:
        with caplog.at_level(logging.ERROR, logger="bot"):
            chat.send_only("/topics")
            await settle(emu, bot_app)
    finally:
        services.store = await Store.open(settings.database_path)
    assert [message.text for message in emu.sent_messages(chat.chat_id)] == [
        "Sorry, something went wrong on my side. Please try again in a moment."
    ]
    assert caplog.text.count("Unhandled error in update") == 1
