"""In webhook mode only requests carrying the secret token are updates; the rest get 403."""

from __future__ import annotations

import socket

import httpx

from bot.app import build_application
from bot.runner import WebhookOptions, serving
from tests.bot.conftest import Conversation

UPDATE = {
    "update_id": 999_001,
    "message": {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 4242, "type": "private", "first_name": "Mallory"},
        "from": {"id": 4242, "is_bot": False, "first_name": "Mallory"},
        "text": "/forget",
        "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
    },
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_only_requests_with_the_secret_token_are_accepted(
    emu, settings, summary_executor, pages, new_chat_id
):
    port = free_port()
    options = WebhookOptions(url=f"http://127.0.0.1:{port}/hook", listen="127.0.0.1", port=port)
    application = build_application(settings, summary_executor=summary_executor, fetcher=pages)
    async with serving(application, webhook=options), httpx.AsyncClient(timeout=10) as client:
        header = "X-Telegram-Bot-Api-Secret-Token"
        missing = await client.post(options.url, json=UPDATE)
        wrong = await client.post(options.url, json=UPDATE, headers={header: "guess"})
        assert (missing.status_code, wrong.status_code) == (403, 403)

        # Telegram (here the emulator) sends the token it was given, and is served.
        reply = await Conversation(emu, new_chat_id).ask("/help")
        assert "/subscribe" in reply.text
    assert emu.sent_messages(4242) == []  # the forged /forget never reached a handler
