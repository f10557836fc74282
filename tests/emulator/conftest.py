"""An HTTP client on the emulator's Bot API, the way any Bot API library talks to Telegram."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from emulator import BotApiEmulator


class BotApiClient:
    """Calls Bot API methods and returns (HTTP status, decoded JSON body)."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.http = client

    async def call(self, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        response = await self.http.post(method, json=params)
        return response.status_code, response.json()

    async def result(self, method: str, **params: Any) -> Any:
        status, body = await self.call(method, **params)
        assert status == 200, body
        return body["result"]


@pytest.fixture
async def api(emulator: BotApiEmulator) -> AsyncIterator[BotApiClient]:
    async with httpx.AsyncClient(
        base_url=f"{emulator.base_url}{emulator.token}/", timeout=10.0
    ) as client:
        yield BotApiClient(client)
