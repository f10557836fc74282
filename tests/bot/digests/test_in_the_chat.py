"""Digests in the chat: the first subscription's schedule, digest options in /settings."""

from datetime import time

from storage.digests import DigestQueries
from tests.bot.conftest import Conversation


def labels(message) -> list[str]:
    return [label for label, _ in message.buttons]


async def stored_schedule(bot_app, chat_id: int) -> time | None:
    chat = await bot_app.bot_data.services.store.get_chat(chat_id)
    return chat.digest_time


async def test_the_first_subscription_switches_the_digest_on_at_eight_with_buttons(bot_app, chat):
    reply = await chat.ask("/subscribe climate")
    assert reply.text.startswith("Subscribed to climate.")
    assert "Daily digest: 08:00 UTC, every day." in reply.text
    assert "/schedule 07:30 Europe/Berlin" in reply.text
    assert labels(reply) == ["07:00", "✓ 08:00", "12:00", "18:00", "Off"]
    assert await stored_schedule(bot_app, chat.chat_id) == time(8, 0)

    later = await chat.ask("/subscribe football")
    assert "Daily digest" not in later.text and later.buttons == []


async def test_a_time_button_moves_the_digest_and_off_switches_it_off_for_good(bot_app, chat):
    offer = await chat.ask("/subscribe climate")
    assert (await chat.press(offer, "18:00")).text == "Saved"
    [edited] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert edited.edited and edited.text.startswith("🗓 Daily digest: 18:00 UTC, every day.")
    assert "✓ 18:00" in labels(edited)
    assert await stored_schedule(bot_app, chat.chat_id) == time(18, 0)

    assert (await chat.press(edited, "Off")).text == "Saved"
    [edited] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert "Daily digest: off" in edited.text and "✓ Off" in labels(edited)
    assert await stored_schedule(bot_app, chat.chat_id) is None

    # Removing every topic and following one again does not undo the choice.
    await chat.ask("/unsubscribe climate")
    again = await chat.ask("/subscribe climate")
    assert "Daily digest" not in again.text
    assert await stored_schedule(bot_app, chat.chat_id) is None


async def test_a_chat_that_switched_the_digest_off_first_is_not_switched_on(bot_app, chat):
    await chat.ask("/schedule off")
    reply = await chat.ask("/subscribe climate")
    assert "Daily digest" not in reply.text
    assert await stored_schedule(bot_app, chat.chat_id) is None


async def test_a_chat_with_its_own_time_keeps_it(bot_app, chat):
    await chat.ask("/schedule 06:15 Asia/Tokyo")
    reply = await chat.ask("/subscribe climate")
    assert "Daily digest" not in reply.text
    assert await stored_schedule(bot_app, chat.chat_id) == time(6, 15)


async def test_the_default_time_is_in_the_chats_time_zone(bot_app, chat):
    panel = await chat.ask("/settings")
    await chat.press(panel, "Europe/Kyiv")
    await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    reply = await chat.ask("/subscribe climate")
    assert "Daily digest: 08:00 Europe/Kyiv, every day." in reply.text


async def test_a_deep_link_and_a_suggestion_button_offer_it_too(bot_app, emu, chat, news):
    reply = await chat.ask("/start topic_climate_change")
    assert "You now follow climate change" in reply.text
    assert "✓ 08:00" in labels(reply)

    other = Conversation(emu, chat.chat_id + 10_000)
    suggestions = await other.ask("/subscribe")
    await other.press(suggestions, suggestions.buttons[0][0])
    [confirmed] = await emu.wait_for_messages(other.chat_id, timeout=10)
    assert confirmed.text.startswith("Subscribed to")
    assert "✓ 08:00" in labels(confirmed)


async def test_in_a_group_only_admins_move_the_offered_time(bot_app, emu, new_chat_id):
    group = Conversation(emu, -new_chat_id, user_id=601, chat_type="group")
    await group.ask("/help")
    emu.set_chat_admins(group.chat_id, [601])
    offer = await group.ask("/subscribe climate")
    member = Conversation(emu, group.chat_id, user_id=602, chat_type="group")
    answer = await member.press(offer, "18:00")
    assert answer.text == "Only this group's admins can change its settings."
    assert await stored_schedule(bot_app, group.chat_id) == time(8, 0)


async def test_settings_set_stories_per_digest_and_nothing_new_notices(bot_app, chat):
    panel = await chat.ask("/settings")
    assert "Stories per digest: 5" in panel.text
    assert "Nothing-new notices: off" in panel.text
    assert {"3 stories", "✓ 5 stories", "10 stories"} <= set(labels(panel))

    assert (await chat.press(panel, "10 stories")).text == "Saved"
    [panel] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert "Stories per digest: 10" in panel.text and "✓ 10 stories" in labels(panel)

    assert (await chat.press(panel, "Nothing-new notices")).text == "Saved"
    [panel] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert "Nothing-new notices: on" in panel.text

    queries = DigestQueries(bot_app.bot_data.services.store.database)
    options = await queries.digest_chat(chat.chat_id)
    assert options is not None
    assert (options.max_stories, options.notify_empty) == (10, True)
