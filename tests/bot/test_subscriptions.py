"""/subscribe, /unsubscribe, /topics and their buttons, in private chats and groups."""

import pytest

from tests.bot.conftest import BOT_USERNAME, Conversation


async def test_subscribe_confirms_and_lists(bot_app, chat):
    reply = await chat.ask("/subscribe Ukraine")
    assert reply.text.startswith("Subscribed to ukraine")
    again = await chat.ask("/subscribe ukraine")
    assert "already follow" in again.text
    topics = await chat.ask("/topics")
    assert "• ukraine" in topics.text


async def test_subscribe_escapes_the_topic(bot_app, chat):
    reply = await chat.ask("/subscribe <b>AT&T</b>")
    assert "<b>at&t</b>" in reply.text  # shown literally, not as bold
    assert "&lt;b&gt;at&amp;t&lt;/b&gt;" in reply.html


async def test_subscribe_without_topic_offers_buttons_from_recent_news(bot_app, chat, news):
    offer = await chat.ask("/subscribe")
    assert offer.buttons, offer.text
    label, _ = offer.buttons[0]
    answer = await chat.press(offer, label)
    assert answer.text is None
    [confirmation] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert confirmation.text.startswith(f"Subscribed to {label}")


async def test_topic_is_confirmed_as_stored(bot_app, chat):
    reply = await chat.ask("/subscribe  Climate   CHANGE " + "x" * 40)
    assert reply.text.startswith("Subscribed to climate change xxx")
    topics = await chat.ask("/topics")
    stored = topics.text.splitlines()[1].removeprefix("• ")
    assert reply.text.startswith(f"Subscribed to {stored}. ")


async def test_unsubscribe_by_name_and_by_button(bot_app, chat):
    await chat.ask("/subscribe climate")
    await chat.ask("/subscribe sport")
    gone = await chat.ask("/unsubscribe climate")
    assert gone.text == "Unsubscribed from climate."
    missing = await chat.ask("/unsubscribe climate")
    assert "were not following" in missing.text
    offer = await chat.ask("/unsubscribe")
    assert [label for label, _ in offer.buttons] == ["✖ sport"]
    answer = await chat.press(offer, "sport")
    assert answer.text == "Unsubscribed from sport"
    [edited] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert edited.edited and "You follow no topics" in edited.text


async def test_topics_buttons_remove_one_and_get_digest(bot_app, chat, news):
    await chat.ask("/subscribe ukraine")
    await chat.ask("/subscribe climate")
    listing = await chat.ask("/topics")
    assert [label for label, _ in listing.buttons] == ["✖ climate", "✖ ukraine", "📰 Digest now"]
    await chat.press(listing, "climate")
    [edited] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert [label for label, _ in edited.buttons] == ["✖ ukraine", "📰 Digest now"]
    # Pressing the old button again is stale, not an error.
    answer = await chat.press(listing, "climate")
    assert answer.text == "You no longer follow that topic."
    await chat.press(edited, "Digest now")
    [digest] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert digest.text.startswith("Your digest")


async def test_group_command_addressed_to_the_bot_works(bot_app, emu, new_chat_id):
    group = Conversation(emu, -new_chat_id, user_id=501, chat_type="supergroup")
    group.send_only("/help@" + BOT_USERNAME)
    [reply] = await emu.wait_for_messages(group.chat_id, timeout=10)
    assert "What I can do" in reply.text


async def test_group_command_for_another_bot_is_ignored(bot_app, emu, new_chat_id):
    group = Conversation(emu, -new_chat_id, user_id=501, chat_type="supergroup")
    group.send_only("/help@some_other_bot")
    group.send_only("/help")
    [reply] = await emu.wait_for_messages(group.chat_id, timeout=10)
    assert "What I can do" in reply.text
    await emu.wait_for_updates_consumed(timeout=10)
    assert len(emu.sent_messages(group.chat_id)) == 1


@pytest.mark.parametrize(("user_id", "allowed"), [(501, True), (502, False)])
async def test_only_group_admins_change_subscriptions(bot_app, emu, new_chat_id, user_id, allowed):
    admin = Conversation(emu, -new_chat_id, user_id=501, chat_type="group")
    await admin.ask("/help")  # the group now exists in the emulator
    emu.set_chat_admins(admin.chat_id, [501])
    member = Conversation(emu, admin.chat_id, user_id=user_id, chat_type="group")
    reply = await member.ask("/subscribe ukraine")
    if allowed:
        assert reply.text.startswith("Subscribed to ukraine")
    else:
        assert reply.text == "Only this group's admins can change its topics."
    topics = await member.ask("/topics")
    assert ("ukraine" in topics.text) is allowed
