"""/start, deep links, /help, /stop and the command menu."""

from bot.commands import COMMANDS


async def test_start_greets_and_points_to_subscribe(bot_app, chat):
    reply = await chat.ask("/start")
    assert "I read the news for you" in reply.text
    assert "/subscribe" in reply.text
    assert reply.parse_mode == "HTML"
    assert reply.link_preview_options == {"is_disabled": True}


async def test_deep_link_subscribes_at_once(bot_app, chat):
    reply = await chat.ask("/start topic_climate_change")
    assert "You now follow climate change" in reply.text
    topics = await chat.ask("/topics")
    assert "• climate change" in topics.text


async def test_help_lists_every_command_with_an_example(bot_app, chat):
    reply = await chat.ask("/help")
    for command in COMMANDS:
        assert command.example in reply.text


async def test_command_menu_is_registered_at_start(bot_app, emu):
    assert [entry["command"] for entry in emu.commands] == [c.name for c in COMMANDS]


async def test_stop_pauses_and_start_resumes(bot_app, chat):
    reply = await chat.ask("/stop")
    assert "Paused" in reply.text
    store = bot_app.bot_data.services.store
    assert (await store.chats.get(chat.chat_id)).paused
    await chat.ask("/start")
    assert not (await store.chats.get(chat.chat_id)).paused


async def test_short_plain_text_gets_a_hint(bot_app, chat):
    reply = await chat.ask("hello")
    assert "/help" in reply.text
