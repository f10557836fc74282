"""Secrets never reach a terminal or a log line: the bot token and the webhook secret, whichever
library writes the line, and whatever a Bot API error page echoes back."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsbot.cli import main

# Shaped like a bot token, but not like the ones the pattern catches (the secret is short).
TOKEN = "987654:only-known-as-a-secret"


class EchoingErrorPage(BaseHTTPRequestHandler):
    """A broken proxy in front of the Bot API: a 502 HTML page quoting the request path."""

    def _echo(self) -> None:
        body = f"<html><body>502 Bad Gateway: no upstream for {self.path}</body></html>".encode()
        self.send_response(502)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._echo()

    def do_POST(self) -> None:
        self._echo()

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean."""


@pytest.fixture
def broken_api(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoingErrorPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/bot"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", url)
    monkeypatch.setenv("NEWSBOT_DB", str(tmp_path / "newsbot.db"))
    monkeypatch.setenv("NEWSBOT_SUMMARY_WORKERS", "1")
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        yield url
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_doctor_masks_the_token_an_error_page_echoes(
    broken_api: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doctor"]) == 1
    output = capsys.readouterr()
    assert "FAIL telegram" in output.out
    assert "no upstream for /bot<secret>/getMe" in output.out
    assert TOKEN not in output.out + output.err


def test_run_masks_the_token_an_error_page_echoes(
    broken_api: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 1
    output = capsys.readouterr()
    assert "is not a Telegram Bot API" in output.err
    assert "no upstream for /bot<secret>/getMe" in output.err
    assert TOKEN not in output.out + output.err
