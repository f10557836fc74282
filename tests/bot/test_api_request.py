"""The Bot API's requests tell its JSON answers from a web page at its address, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram.error import BadRequest

from bot.api_request import BotApiRequest, NotBotApiError
from tests.local_server import serving_app

# What the server answers at each path: status, content type, body.
ANSWERS: dict[str, tuple[int, str, str]] = {
    "/proxy": (502, "text/html", "<html><head><title>502 Bad Gateway</title></head></html>"),
    "/web-server": (
        200,
        "text/html",
        "<!doctype html><html><head><title>Welcome to nginx!</title></head><body>hi</body></html>",
    ),
    "/plain": (503, "text/plain", "upstream connect error or disconnect/reset before headers " * 5),
    "/empty": (502, "text/plain", ""),
    "/bot-api-error": (
        400,
        "application/json",
        '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}',
    ),
}


@pytest.fixture
async def server() -> AsyncIterator[str]:
    async def answer(request: web.Request) -> web.Response:
        status, content_type, body = ANSWERS[request.path]
        return web.Response(status=status, text=body, content_type=content_type)

    app = web.Application()
    app.router.add_route("*", "/{path:.*}", answer)
    async with serving_app(app) as url:
        yield url


@pytest.fixture
async def api_request() -> AsyncIterator[BotApiRequest]:
    request = BotApiRequest()
    await request.initialize()
    yield request
    await request.shutdown()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/proxy", "HTTP 502: a page titled “502 Bad Gateway”, not the Bot API's JSON"),
        ("/web-server", "a page titled “Welcome to nginx!”, not the Bot API's JSON"),
        (
            "/plain",
            "HTTP 503: “upstream connect error or disconnect/reset before headers upstream "
            "connect error…”, not the Bot API's JSON",
        ),
        ("/empty", "HTTP 502: an empty body, not the Bot API's JSON"),
    ],
)
async def test_a_page_instead_of_the_bot_api_is_one_short_error(
    api_request: BotApiRequest, server: str, path: str, message: str
) -> None:
    with pytest.raises(NotBotApiError) as answered:
        await api_request.post(server + path)
    assert answered.value.message == message


async def test_the_bot_api_s_own_errors_are_left_to_python_telegram_bot(
    api_request: BotApiRequest, server: str
) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await api_request.post(server + "/bot-api-error")
