"""`newsbot emulator` runs the emulator in the foreground until SIGTERM."""

import asyncio
import os
import re
import signal
import sys

import httpx


async def test_newsbot_emulator_serves_until_sigterm():
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "newsbot",
        "emulator",
        "--port",
        "0",
        "--no-limits",
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "TELEGRAM_BOT_TOKEN": ""},
    )
    try:
        assert process.stdout is not None
        banner = (await asyncio.wait_for(process.stdout.readline(), timeout=20)).decode()
        base_url = re.search(r"on (http://\S+)", banner)
        assert base_url, banner
        rest = (await asyncio.wait_for(process.stdout.readuntil(b"stops it.\n"), 10)).decode()
        assert "limits: off" in rest
        token = re.search(r"TELEGRAM_BOT_TOKEN=(\S+)", rest).group(1)
        async with httpx.AsyncClient() as client:
            me = (await client.get(f"{base_url.group(1)}/bot{token}/getMe")).json()
        assert me["result"]["username"] == "newsbot_demo_bot"
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
