"""Who may use the bot: NEWSBOT_ACCESS open, allowlist and approval, through the emulator."""

from dataclasses import replace

import pytest

from bot.settings import Settings, SettingsError
from storage.access import AccessList
from tests.bot.conftest import Conversation, settle

ADMIN = 999  # the admin in tests/bot/conftest.py's settings
WAITING_IN_ENGLISH = (
    "I have asked the bot's admins to let you in; I will tell you when they decide."
)


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    mode = getattr(request, "param", "allowlist")
    return replace(
        settings, access=mode, allowed_user_ids=frozenset({4001}), allowed_usernames={"carol"}
    )


def _stored(bot_app) -> AccessList:
    return bot_app.bot_data.services.store.access


async def test_a_stranger_in_allowlist_mode_gets_one_polite_line_and_nothing_is_stored(
    bot_app, emu
):
    stranger = Conversation(emu, 4500)
    reply = await stranger.ask("/subscribe ukraine")
    assert reply.text == "Sorry, this bot is private. Ask its owner to add you."
    stranger.send_only("/start")
    stranger.send_only("hello")
    await settle(emu, bot_app)
    assert emu.sent_messages(4500) == [reply]  # one line, not one per message
    store = bot_app.bot_data.services.store
    assert await store.chats.get(4500) is None
    assert await store.subscriptions.topics(4500) == []
    assert await _stored(bot_app).entries() == []


async def test_listed_users_and_admins_are_served_and_remembered_for_users(bot_app, emu):
    by_id = Conversation(emu, 4001)
    assert "I read the news for you" in (await by_id.ask("/start")).text
    by_name = Conversation(emu, 4002)
    reply = await by_name.ask("/start", username="Carol")
    assert "I read the news for you" in reply.text
    admin = Conversation(emu, ADMIN)
    listing = await admin.ask("/users")
    assert "Access: allowlist" in listing.text
    assert "@carol, 4002" in listing.text
    assert "last seen" in listing.text


async def test_admins_allow_and_deny_by_username(bot_app, emu):
    admin = Conversation(emu, ADMIN)
    dave = Conversation(emu, 4600)
    assert "private" in (await dave.ask("/start", username="dave")).text
    assert "@dave may use the bot now" in (await admin.ask("/allow @Dave")).text
    assert "I read the news for you" in (await dave.ask("/start", username="dave")).text
    assert "may no longer use the bot" in (await admin.ask("/deny @dave")).text
    before = len(emu.sent_messages(4600))
    dave.send_only("/subscribe ukraine", username="dave")
    await settle(emu, bot_app)
    # Refused again, and told at most once an hour: no reply, and nothing done.
    assert len(emu.sent_messages(4600)) == before
    assert await bot_app.bot_data.services.store.subscriptions.topics(4600) == []


async def test_only_admins_may_allow(bot_app, emu):
    reader = Conversation(emu, 4001)
    assert (await reader.ask("/allow 4700")).text == "Only the bot's admins can do that."
    assert (await reader.ask("/users")).text == "Only the bot's admins can do that."
    assert await _stored(bot_app).lookup(4700) is None


async def test_an_admin_cannot_be_denied_and_a_bad_argument_says_how(bot_app, emu):
    admin = Conversation(emu, ADMIN)
    assert "cannot be denied" in (await admin.ask(f"/deny {ADMIN}")).text
    assert "/allow 123456789 or /allow @username" in (await admin.ask("/allow")).text


async def test_the_admin_commands_are_only_in_the_admins_menu(bot_app, emu):
    readers = [entry["command"] for entry in emu.commands]
    admins = [entry["command"] for entry in emu.commands_for({"type": "chat", "chat_id": ADMIN})]
    assert "allow" not in readers
    assert {"allow", "deny", "users"} <= set(admins)
    assert set(readers) < set(admins)
    german = emu.commands_for({"type": "chat", "chat_id": ADMIN}, "de")
    assert {"allow", "users"} <= {entry["command"] for entry in german}


@pytest.mark.parametrize("settings", ["approval"], indirect=True)
async def test_a_stranger_in_approval_mode_waits_for_an_admin(bot_app, emu):
    emu.add_chat(ADMIN)
    stranger = Conversation(emu, 4800)
    reply = await stranger.ask("/start", username="erin", first_name="Erin")
    assert "asked the bot's admins" in reply.text
    [request] = await emu.wait_for_messages(ADMIN, count=1, timeout=10)
    assert request.text == "Erin (@erin, 4800) asks to use the bot."
    assert [label for label, _ in request.buttons] == ["Approve", "Deny"]
    assert await _stored(bot_app).lookup(4800) is None  # asking stores nothing
    stranger.send_only("/subscribe ukraine")
    await settle(emu, bot_app)
    # Told once; the admins are asked once; the command did not run.
    assert len(emu.sent_messages(4800)) == 1
    assert len(emu.sent_messages(ADMIN)) == 1
    assert await bot_app.bot_data.services.store.subscriptions.topics(4800) == []
    admin = Conversation(emu, ADMIN)
    await admin.press(request, "Approve")
    [welcome] = await emu.wait_for_messages(4800, count=1, timeout=10)
    assert "You can use the bot now" in welcome.text
    [edited] = await emu.wait_for_messages(ADMIN, count=1, timeout=10)
    assert edited.text.endswith("Approved.")
    assert edited.buttons == []
    assert "Subscribed to ukraine" in (await stranger.ask("/subscribe ukraine")).text


@pytest.mark.parametrize("settings", ["approval"], indirect=True)
async def test_an_approved_stranger_is_welcomed_in_the_language_of_their_first_message(
    bot_app, emu
):
    emu.add_chat(ADMIN)
    stranger = Conversation(emu, 4810)
    reply = await stranger.ask("/start", language_code="de", first_name="Jana")
    assert reply.text != WAITING_IN_ENGLISH  # the waiting line is German as well
    [request] = await emu.wait_for_messages(ADMIN, count=1, timeout=10)
    assert await _stored(bot_app).lookup(4810) is None  # the language rides on the button
    await Conversation(emu, ADMIN).press(request, "Approve")
    [welcome] = await emu.wait_for_messages(4810, count=1, timeout=10)
    assert welcome.text == "Du kannst den Bot jetzt nutzen. Sende /start, um zu beginnen."


@pytest.mark.parametrize("settings", ["approval"], indirect=True)
async def test_a_denied_stranger_is_refused_without_asking_again(bot_app, emu):
    emu.add_chat(ADMIN)
    stranger = Conversation(emu, 4900)
    await stranger.ask("/start")
    [request] = await emu.wait_for_messages(ADMIN, count=1, timeout=10)
    await Conversation(emu, ADMIN).press(request, "Deny")
    await emu.wait_for_messages(ADMIN, count=1, timeout=10)
    entry = await _stored(bot_app).lookup(4900)
    assert entry is not None and not entry.allowed
    stranger.send_only("/start")
    await settle(emu, bot_app)
    assert len(emu.sent_messages(ADMIN)) == 1  # the admins are not asked again


@pytest.mark.parametrize("settings", ["approval"], indirect=True)
async def test_a_stranger_cannot_press_approve(bot_app, emu):
    emu.add_chat(ADMIN)
    stranger = Conversation(emu, 5000)
    await stranger.ask("/start")
    [request] = await emu.wait_for_messages(ADMIN, count=1, timeout=10)
    [(_, approve), _] = request.buttons
    emu.add_chat(5000)
    await stranger.press_data(request.message_id, approve)
    assert await _stored(bot_app).lookup(5000) is None


async def test_a_group_is_served_only_if_an_allowed_user_added_it_or_administers_it(bot_app, emu):
    stranger_group = Conversation(emu, -4100, user_id=4500, chat_type="group")
    emu.add_chat(-4100, "group")
    emu.set_chat_admins(-4100, [4500])
    reply = await stranger_group.ask("/latest")
    assert "a group can use it once" in reply.text
    assert await bot_app.bot_data.services.store.chats.get(-4100) is None

    club = Conversation(emu, -4200, user_id=4500, chat_type="group")
    emu.add_chat(-4200, "group")
    emu.set_chat_admins(-4200, [4001, 4500])  # an allowed user administers it
    reply = await club.ask("/help")
    assert "What I can do" in reply.text

    added = Conversation(emu, -4300, user_id=4500, chat_type="group")
    emu.add_chat(-4300, "group")
    emu.set_chat_admins(-4300, [4500])
    emu.set_bot_status(-4300, "administrator", by_user_id=4001)  # an allowed user added it
    await settle(emu, bot_app)
    assert "What I can do" in (await added.ask("/help")).text


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"NEWSBOT_ACCESS": "closed"}, "NEWSBOT_ACCESS must be one of open, allowlist"),
        ({"NEWSBOT_ACCESS": "approval"}, "needs NEWSBOT_ADMIN_IDS"),
        ({"NEWSBOT_ACCESS": "allowlist"}, "needs NEWSBOT_ALLOWED_USERS"),
    ],
)
def test_access_settings_say_what_to_fix(environ, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:abc", **environ})


def test_allowed_users_are_ids_and_usernames():
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "1:abc",
            "NEWSBOT_ACCESS": "Allowlist",
            "NEWSBOT_ALLOWED_USERS": "1001, @Alice bob",
        }
    )
    assert settings.access == "allowlist"
    assert settings.allowed_user_ids == {1001}
    assert settings.allowed_usernames == {"alice", "bob"}
