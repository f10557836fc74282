"""python-telegram-bot's own DEBUG lines never show the webhook secret or the token."""

from __future__ import annotations

import io
import logging
import socket

from bot.app import build_application
from bot.runner import WebhookOptions, serving
from newsbot.logs import configure_logging


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_webhook_secret_is_masked_in_python_telegram_bots_debug_lines(
    emu, settings, summary_executor, pages
) -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    configure_logging({"NEWSBOT_LOG_LEVEL": "DEBUG"}, stream=stream)
    port = free_port()
    options = WebhookOptions(url=f"http://127.0.0.1:{port}/hook", listen="127.0.0.1", port=port)
    application = build_application(settings, summary_executor=summary_executor, fetcher=pages)
    try:
        async with serving(application, webhook=options):
            pass
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    log = stream.getvalue()
    assert "setWebhook" in log  # python-telegram-bot's own line with the parameters
    assert "'secret_token': '<secret>'" in log
    assert options.secret not in log
    assert settings.token not in log
