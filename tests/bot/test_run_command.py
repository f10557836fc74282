"""`newsbot run` as a real process: polling, webhook with secret token, clean stop, bad tokens."""

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from emulator.server import DEFAULT_TOKEN
from tests.bot.conftest import Conversation
from tests.local_server import serving_app

STOP_WITHIN_SECONDS = 5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_run(tmp_path: Path, environ: dict[str, str], *arguments: str):
    env = {
        **os.environ,
        "NEWSBOT_DB": str(tmp_path / "run.db"),
        "NEWSBOT_SUMMARY_WORKERS": "1",
        "NEWSBOT_LOG_LEVEL": "INFO",
        **environ,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "newsbot",
        "run",
        *arguments,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def stop_run(process) -> tuple[float, str]:
    """SIGTERM, then the seconds it took to exit and what it logged."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=15)
    return time.monotonic() - started, stderr.decode()


async def test_run_polls_answers_and_stops_cleanly_on_sigterm(emu, tmp_path, new_chat_id):
    process = await start_run(
        tmp_path,
        {"TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, "TELEGRAM_API_BASE_URL": emu.url},
    )
    try:
        await emu.wait_until(lambda: bool(emu.commands), timeout=30)
        reply = await Conversation(emu, new_chat_id).ask("/summary")
        assert "Nothing new for your topics" in reply.text
    finally:
        seconds, log = await stop_run(process)
    assert process.returncode == 0, log
    assert seconds < STOP_WITHIN_SECONDS
    assert DEFAULT_TOKEN not in log
    assert "TEST-TOKEN" not in log


async def test_run_webhook_checks_the_secret_token(emu, tmp_path, new_chat_id):
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    process = await start_run(
        tmp_path,
        {"TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, "TELEGRAM_API_BASE_URL": emu.url},
        "--webhook",
        url,
        "--listen",
        "127.0.0.1",
        "--port",
        str(port),
    )
    try:
        await emu.wait_until(lambda: emu.world.webhook is not None, timeout=30)
        reply = await Conversation(emu, new_chat_id).ask("/help")
        assert "What I can do" in reply.text
        async with httpx.AsyncClient() as client:
            forged = await client.post(url, json={"update_id": 1})
        assert forged.status_code == 403
    finally:
        seconds, log = await stop_run(process)
    assert process.returncode == 0, log
    assert seconds < STOP_WITHIN_SECONDS


async def test_run_with_a_rejected_token_says_so(emu, tmp_path):
    process = await start_run(
        tmp_path,
        {"TELEGRAM_BOT_TOKEN": "999:not-the-right-token", "TELEGRAM_API_BASE_URL": emu.url},
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 1
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in stderr.decode()
    assert "Traceback" not in stderr.decode()


@pytest.mark.parametrize(("token", "message"), [("", "is not set"), ("oops", "does not look")])
async def test_run_without_a_usable_token_explains(tmp_path, token, message):
    process = await start_run(tmp_path, {"TELEGRAM_BOT_TOKEN": token})
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 2
    assert message in stderr.decode()


@pytest.fixture
async def error_page_server() -> AsyncIterator[str]:
    """A web server that answers every request as a proxy with no backend: HTML, 502."""

    async def bad_gateway(request: web.Request) -> web.Response:
        return web.Response(
            status=502,
            text="<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
            content_type="text/html",
        )

    app = web.Application()
    app.router.add_route("*", "/{path:.*}", bad_gateway)
    async with serving_app(app) as url:
        yield f"{url}/bot"


async def test_run_against_an_error_page_says_what_to_check_without_a_traceback(
    tmp_path, error_page_server
):
    process = await start_run(
        tmp_path,
        {"TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, "TELEGRAM_API_BASE_URL": error_page_server},
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    log = stderr.decode()
    assert process.returncode == 1, log
    assert log.splitlines()[-1] == (
        f"newsbot run: The server at {error_page_server} is not a Telegram Bot API: it answered "
        "HTTP 502: a page titled “502 Bad Gateway”, not the Bot API's JSON. "
        "Check TELEGRAM_API_BASE_URL (and any proxy in front of it), then TELEGRAM_BOT_TOKEN."
    )
    assert "Traceback" not in log
    assert "nginx" not in log  # the page itself stays out of the log


async def test_an_error_page_while_running_is_one_line_per_failure_and_polling_goes_on(
    emu, tmp_path, new_chat_id
):
    process = await start_run(
        tmp_path,
        {"TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, "TELEGRAM_API_BASE_URL": emu.url},
    )
    try:
        await emu.wait_until(lambda: bool(emu.commands), timeout=30)
        emu.faults.fail_next(2, status=502, methods=["getUpdates"])
        reply = await Conversation(emu, new_chat_id).ask("/help")
        assert "What I can do" in reply.text
    finally:
        _, log = await stop_run(process)
    assert process.returncode == 0, log
    assert "Traceback" not in log
    failures = [line for line in log.splitlines() if "Could not get updates" in line]
    assert len(failures) == 2, log
    assert failures[0].endswith(
        "HTTP 502: a page titled “502 Bad Gateway”, not the Bot API's JSON; retrying. "
        "Check TELEGRAM_API_BASE_URL and any proxy in front of it."
    )


async def test_a_bot_api_gone_at_shutdown_is_one_line_not_a_traceback(emu, tmp_path, new_chat_id):
    process = await start_run(
        tmp_path,
        {"TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, "TELEGRAM_API_BASE_URL": emu.url},
    )
    try:
        await emu.wait_until(lambda: bool(emu.commands), timeout=30)
        assert "What I can do" in (await Conversation(emu, new_chat_id).ask("/help")).text
        # The last getUpdates, sent while stopping to mark what was read, meets an outage.
        emu.faults.fail_next(1, status=502, methods=["getUpdates"])
    finally:
        _, log = await stop_run(process)
    assert process.returncode == 0, log
    assert "Traceback" not in log
    [line] = [line for line in log.splitlines() if "while stopping" in line]
    assert "WARNING" in line and "HTTP 502" in line
