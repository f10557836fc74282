"""`newsbot run` as a real process: polling, webhook with secret token, clean stop, bad tokens."""

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path

import httpx
import pytest

from emulator.server import DEFAULT_TOKEN
from tests.bot.conftest import Conversation

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
