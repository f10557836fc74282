"""Requests to the Bot API that tell an answer from something else at its address.

A proxy's HTML 502, or a TELEGRAM_API_BASE_URL that points at an ordinary web server, answers
with a page instead of the Bot API's JSON. python-telegram-bot logs that at ERROR with a
traceback of the JSON decoder, on every attempt, and quotes the whole page in its error. Here
such an answer is one short ``NotBotApiError`` (a ``NetworkError``, so it is retried like any
other outage) that ``newsbot run`` and the polling loop report in one line.
"""

from __future__ import annotations

import json
import re
from typing import Any

from telegram.error import NetworkError
from telegram.request import HTTPXRequest, RequestData

from bot.redaction import redact

__all__ = ["BotApiRequest", "NotBotApiError"]

# Enough of a page to recognise it (its title, or its first words), not the whole page.
_EXCERPT_CHARS = 80
_HEAD_BYTES = 4096
_TITLE = re.compile(r"<title[^>]*>([^<]*)</title>", re.IGNORECASE)


class NotBotApiError(NetworkError):
    """The server at the Bot API's address answered with something other than its JSON."""

    def __init__(self, status: int | None, payload: bytes) -> None:
        status_text = f"HTTP {status}: " if status is not None else ""
        super().__init__(f"{status_text}{_excerpt(payload)}, not the Bot API's JSON")
        self.status = status


def _excerpt(payload: bytes) -> str:
    # Masked before it is cut short: a page that echoes the request path holds the token, and
    # a token cut in half is no longer recognised as one.
    head = redact(payload[:_HEAD_BYTES].decode("utf-8", "replace"))
    title = _TITLE.search(head)
    if title and title.group(1).split():
        return f"a page titled “{' '.join(title.group(1).split())[:_EXCERPT_CHARS]}”"
    text = " ".join(head.split())
    if not text:
        return "an empty body"
    if len(text) > _EXCERPT_CHARS:
        text = text[:_EXCERPT_CHARS] + "…"
    return f"“{text}”"


class BotApiRequest(HTTPXRequest):
    """PTB's HTTPX request, raising ``NotBotApiError`` for an answer that is not JSON."""

    async def do_request(  # noqa: PLR0917 (the signature is PTB's)
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send the request; an error status without a JSON object raises NotBotApiError."""
        status, payload = await super().do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        # The Bot API's errors are JSON objects; PTB reads those (descriptions, retry_after).
        if not 200 <= status <= 299 and not payload.lstrip().startswith(b"{"):
            raise NotBotApiError(status, payload)
        return status, payload

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """The answer as JSON, or NotBotApiError (a success status with a page, say)."""
        try:
            answer: dict[str, Any] = json.loads(payload.decode("utf-8", "replace"))
        except ValueError as error:
            raise NotBotApiError(None, payload) from error
        return answer
