"""Managing a channel from a private chat: /channel, its admin checks, and losing the rights."""

import pytest

from tests.bot.conftest import Conversation, settle

CHANNEL = -100777
ALICE, BOB, CAROL = 5100, 5200, 5300


@pytest.fixture
def harbour(emu):
    emu.add_chat(CHANNEL, "channel", title="Harbour News", username="harbour")
    emu.set_chat_admins(CHANNEL, [ALICE])
    return CHANNEL


async def test_channel_mode_makes_reader_commands_act_on_the_channel(bot_app, emu, harbour, news):
    alice = Conversation(emu, ALICE)
    opened = await alice.ask("/channel @harbour")
    assert opened.text.startswith("Now managing @harbour")
    reply = await alice.ask("/subscribe ukraine")
    assert reply.text.startswith("@harbour: Subscribed to ukraine")
    store = bot_app.bot_data.services.store
    assert await store.subscriptions.topics(CHANNEL) == ["ukraine"]
    assert await store.subscriptions.topics(ALICE) == []
    assert (await alice.ask("/topics")).text.startswith("@harbour: ")

    posted = await alice.ask("/digest")
    assert posted.text.startswith("@harbour: Posted its digest there")
    in_channel = emu.sent_messages(CHANNEL)
    assert in_channel
    assert "Geneva" in in_channel[0].text
    assert all(message.buttons == [] for message in in_channel)  # no per-reader buttons

    assert "Back to your own settings" in (await alice.ask("/channel off")).text
    await alice.ask("/subscribe climate")
    assert await store.subscriptions.topics(ALICE) == ["climate"]
    assert await store.subscriptions.topics(CHANNEL) == ["ukraine"]


async def test_one_line_forms_act_once(bot_app, emu, harbour):
    alice = Conversation(emu, ALICE)
    reply = await alice.ask("/channel @harbour subscribe harbour works")
    assert reply.text.startswith("@harbour: Subscribed to harbour works")
    store = bot_app.bot_data.services.store
    assert await store.subscriptions.topics(CHANNEL) == ["harbour works"]
    await alice.ask("/subscribe sport")
    assert await store.subscriptions.topics(ALICE) == ["sport"]  # no session was opened


async def test_a_non_admin_cannot_change_the_channel(bot_app, emu, harbour):
    bob = Conversation(emu, BOB)
    assert (await bob.ask("/channel @harbour")).text == (
        "@harbour: only its administrators can change it."
    )
    assert (await bob.ask("/channel @harbour subscribe football")).text.endswith(
        "only its administrators can change it."
    )
    assert await bot_app.bot_data.services.store.subscriptions.topics(CHANNEL) == []


async def test_admin_rights_are_checked_on_every_command(bot_app, emu, harbour):
    alice = Conversation(emu, ALICE)
    await alice.ask("/channel @harbour")
    emu.set_chat_admins(CHANNEL, [CAROL])  # Alice is no longer an admin
    reply = await alice.ask("/subscribe football")
    assert reply.text == "@harbour: only its administrators can change it."
    assert await bot_app.bot_data.services.store.subscriptions.topics(CHANNEL) == []


async def test_an_unknown_channel_or_one_without_the_bot_says_what_to_do(bot_app, emu):
    alice = Conversation(emu, ALICE)
    assert "I cannot find @nowhere" in (await alice.ask("/channel @nowhere")).text
    emu.add_chat(-100888, "channel", username="quiet")
    emu.set_chat_admins(-100888, [ALICE])
    emu.set_bot_status(-100888, "member")
    await settle(emu, bot_app)
    assert "I am not an administrator who can post" in (await alice.ask("/channel @quiet")).text


async def test_a_forwarded_post_opens_the_channel(bot_app, emu, harbour):
    alice = Conversation(emu, ALICE)
    origin = {"id": CHANNEL, "type": "channel", "title": "Harbour News", "username": "harbour"}
    reply = await alice.ask("Ferry timetable changes from Monday.", forward_from_chat=origin)
    assert reply.text.startswith("Now managing @harbour")


async def test_losing_the_rights_pauses_the_channel_and_tells_the_setter_once(
    bot_app, emu, harbour
):
    alice = Conversation(emu, ALICE)
    await alice.ask("/channel @harbour subscribe ukraine")
    emu.set_bot_status(CHANNEL, "member", by_user_id=ALICE)
    [notice] = await emu.wait_for_messages(ALICE, count=1, timeout=10)
    assert notice.text.startswith("@harbour: I was removed or can no longer post there")
    store = bot_app.bot_data.services.store
    assert (await store.chats.get(CHANNEL)).paused
    emu.set_bot_status(CHANNEL, "left", by_user_id=ALICE)
    await settle(emu, bot_app)
    assert emu.sent_messages(ALICE)[-1] == notice  # told once
    emu.set_bot_status(CHANNEL, "administrator", by_user_id=ALICE)
    await settle(emu, bot_app)
    assert not (await store.chats.get(CHANNEL)).paused
