"""/schedule, /settings and /forget."""

from datetime import time

import pytest

from tests.bot.conftest import Conversation


async def test_schedule_sets_time_and_zone(bot_app, chat):
    reply = await chat.ask("/schedule 07:30 europe/kyiv")
    assert reply.text.splitlines()[0] == "Daily digest: 07:30 Europe/Kyiv, every day."
    stored = await bot_app.bot_data.services.store.chats.get(chat.chat_id)
    assert (stored.digest_time, stored.time_zone) == (time(7, 30), "Europe/Kyiv")


async def test_schedule_keeps_zone_when_only_time_given(bot_app, chat):
    await chat.ask("/schedule 07:30 Asia/Tokyo")
    reply = await chat.ask("/schedule 9:05")
    assert reply.text.splitlines()[0] == "Daily digest: 09:05 Asia/Tokyo, every day."


async def test_schedule_off(bot_app, chat):
    await chat.ask("/schedule 07:30")
    reply = await chat.ask("/schedule off")
    assert reply.text.startswith("Daily digest switched off")
    stored = await bot_app.bot_data.services.store.chats.get(chat.chat_id)
    assert stored.digest_time is None


async def test_schedule_without_argument_shows_current_and_usage(bot_app, chat):
    reply = await chat.ask("/schedule")
    assert reply.text.startswith("Daily digest: off")
    assert "Usage: /schedule HH:MM" in reply.text


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("/schedule 25:00", "“25:00” is not a time of day"),
        ("/schedule 08:00 Mars/Olympus", "I don't know the time zone “Mars/Olympus”"),
        ("/schedule 08:00 <b>x</b>", "I don't know the time zone “<b>x</b>”"),
        ("/schedule 08:00 Europe/Kyiv extra", "Usage: /schedule"),
    ],
)
async def test_schedule_bad_input_is_explained(bot_app, chat, command, message):
    reply = await chat.ask(command)
    assert reply.text.startswith(message)
    stored = await bot_app.bot_data.services.store.chats.get(chat.chat_id)
    assert stored.digest_time is None


async def test_settings_buttons_change_length_days_and_zone(bot_app, chat):
    panel = await chat.ask("/settings")
    assert "Summary length: medium" in panel.text
    assert "✓ Medium" in [label for label, _ in panel.buttons]

    assert (await chat.press(panel, "Long")).text == "Saved"
    [panel] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert panel.edited and "Summary length: long" in panel.text

    await chat.press(panel, "Su")
    [panel] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    await chat.press(panel, "Europe/Berlin")
    [panel] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert "Time zone: Europe/Berlin" in panel.text

    stored = await bot_app.bot_data.services.store.chats.get(chat.chat_id)
    assert stored.summary_length == "long"
    assert stored.digest_days == frozenset(range(6))
    assert stored.time_zone == "Europe/Berlin"


async def test_settings_refuse_to_remove_the_last_day(bot_app, chat):
    store = bot_app.bot_data.services.store
    await store.chats.ensure(chat.chat_id)
    await store.chats.update(chat.chat_id, digest_days=frozenset({0}))
    panel = await chat.ask("/settings")
    answer = await chat.press(panel, "✓ Mo")
    assert answer.text.startswith("Keep at least one day")


async def test_forget_deletes_after_confirmation(bot_app, chat):
    await chat.ask("/subscribe ukraine")
    question = await chat.ask("/forget")
    assert "Are you sure?" in question.text
    await chat.press(question, "Delete everything")
    [done] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert done.text.startswith("Done: I have forgotten")
    store = bot_app.bot_data.services.store
    assert await store.subscriptions.topics(chat.chat_id) == []


async def test_forget_cancel_keeps_everything(bot_app, chat):
    await chat.ask("/subscribe ukraine")
    question = await chat.ask("/forget")
    await chat.press(question, "Cancel")
    [done] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert done.text == "Nothing was deleted."
    assert await bot_app.bot_data.services.store.subscriptions.topics(chat.chat_id) == ["ukraine"]


async def test_schedule_in_a_forum_topic_replies_there_and_remembers_it(bot_app, emu, new_chat_id):
    group = Conversation(emu, -new_chat_id, user_id=601, chat_type="supergroup")
    await group.ask("/help")
    emu.set_chat_admins(group.chat_id, [601])
    reply = await group.ask("/schedule 08:00", message_thread_id=7)
    assert reply.message_thread_id == 7
    stored = await bot_app.bot_data.services.store.chats.get(group.chat_id)
    assert stored.message_thread_id == 7


async def test_only_group_admins_change_group_settings(bot_app, emu, new_chat_id):
    group = Conversation(emu, -new_chat_id, user_id=601, chat_type="group")
    await group.ask("/help")
    emu.set_chat_admins(group.chat_id, [601])
    member = Conversation(emu, group.chat_id, user_id=602, chat_type="group")
    assert (await member.ask("/schedule 08:00")).text.startswith("Only this group's admins")
    assert (await member.ask("/forget")).text.startswith("Only this group's admins")
    panel = await group.ask("/settings")
    answer = await member.press(panel, "Long")
    assert answer.text == "Only this group's admins can change its settings."


async def test_after_forget_the_next_message_starts_a_fresh_chat(bot_app, chat):
    await chat.ask("/schedule 07:00 Asia/Tokyo")
    question = await chat.ask("/forget")
    await chat.press(question, "Delete everything")
    await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    reply = await chat.ask("/schedule")
    assert reply.text.startswith("Daily digest: off")
    stored = await bot_app.bot_data.services.store.chats.get(chat.chat_id)
    assert stored is not None and stored.time_zone == "UTC"
