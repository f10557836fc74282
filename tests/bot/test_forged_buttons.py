"""Button data comes from the client: forged digest buttons are answered, never crash a handler."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "data", ["Ds:²", "Dm:٣", "Ds:" + "9" * 40, "Dm:-1", "Dx:", "Dx:#000000000000"]
)
async def test_a_forged_digest_button_is_answered_politely(bot_app, chat, data, caplog):
    reply = await chat.ask("/help")
    answer = await chat.press_data(reply.message_id, data)
    assert answer.text, "every press gets an answer"
    assert "Sorry, something went wrong" not in answer.text
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
