"""Log lines: readable or JSON, and never a bot token."""

import io
import json
import logging
from collections.abc import Iterator

import pytest

from newsbot.logs import configure_logging, redact

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """A string to log into; the root logger is restored after the test."""
    stream = io.StringIO()
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    yield stream
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)


def test_tokens_are_masked_wherever_they_appear() -> None:
    url = f"https://api.telegram.org/bot{TOKEN}/getUpdates"
    assert redact(url) == "https://api.telegram.org/bot<token>/getUpdates"
    assert redact("a plain line about 2024:12 results") == "a plain line about 2024:12 results"


def test_text_lines_are_readable_and_carry_no_token(log_stream: io.StringIO) -> None:
    configure_logging({"NEWSBOT_LOG_LEVEL": "INFO"}, stream=log_stream)
    logging.getLogger("bot.test").info("POST https://api.telegram.org/bot%s/sendMessage", TOKEN)
    line = log_stream.getvalue().strip()
    assert " INFO bot.test: POST https://api.telegram.org/bot<token>/sendMessage" in line
    assert TOKEN not in line


def test_json_lines_parse_and_carry_no_token(log_stream: io.StringIO) -> None:
    configure_logging(
        {"NEWSBOT_LOG_LEVEL": "INFO", "NEWSBOT_LOG_FORMAT": "json"}, stream=log_stream
    )
    try:
        raise RuntimeError(f"request to bot{TOKEN} failed")
    except RuntimeError:
        logging.getLogger("bot.test").exception("send failed")
    record = json.loads(log_stream.getvalue())
    assert record["level"] == "ERROR"
    assert record["logger"] == "bot.test"
    assert record["message"] == "send failed"
    assert "RuntimeError" in record["exception"]
    assert TOKEN not in log_stream.getvalue()


def test_httpx_request_lines_stay_quiet_at_info(log_stream: io.StringIO) -> None:
    configure_logging({"NEWSBOT_LOG_LEVEL": "INFO"}, stream=log_stream)
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot%s/x", TOKEN)
    assert log_stream.getvalue() == ""


def test_an_unknown_level_falls_back_to_warning(log_stream: io.StringIO) -> None:
    configure_logging({"NEWSBOT_LOG_LEVEL": "chatty"}, stream=log_stream)
    assert logging.getLogger().level == logging.WARNING
