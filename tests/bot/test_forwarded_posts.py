"""Posts forwarded from a channel or another chat are summarised like pasted text."""

from tests.bot.test_summary import LONG_TEXT

NEWS_CHANNEL = {"id": -1001234, "type": "channel", "title": "Daily Wire", "username": "wire"}
OTHER_GROUP = {"id": -1005678, "type": "supergroup", "title": "Neighbours"}
# Over the 200 characters a summary needs, under the 500 an unforwarded text needs.
MEDIUM_TEXT = " ".join(LONG_TEXT.split(". ")[:4]) + "."


async def test_a_long_channel_post_is_summarised(bot_app, chat):
    reply = await chat.ask(LONG_TEXT, forward_from_chat=NEWS_CHANNEL)
    assert reply.text.startswith("Summary\n\n")
    assert "budget" in reply.text and len(reply.text) < len(LONG_TEXT)


async def test_a_message_forwarded_from_another_chat_is_summarised(bot_app, chat):
    reply = await chat.ask(LONG_TEXT, forward_from_chat=OTHER_GROUP)
    assert reply.text.startswith("Summary\n\n")


async def test_a_shorter_forward_is_summarised_where_typed_text_is_not(bot_app, chat):
    assert 200 <= len(MEDIUM_TEXT) < 500
    typed = await chat.ask(MEDIUM_TEXT)
    assert typed.text.startswith("Send me a long text or a link")
    forwarded = await chat.ask(MEDIUM_TEXT, forward_from_chat=NEWS_CHANNEL)
    assert forwarded.text.startswith("Summary\n\n")


async def test_a_very_short_forward_is_explained(bot_app, chat):
    reply = await chat.ask("Breaking: bridge closed.", forward_from_chat=NEWS_CHANNEL)
    assert reply.text == "That is too short to summarise; send a longer text or a link."
