"""Bot API request parameters: read from the query string and a JSON, form or multipart body.

Clients send parameters either as a JSON object or as form fields whose non-string values are
JSON-encoded (python-telegram-bot's HTTPXRequest posts ``application/x-www-form-urlencoded``,
or ``multipart/form-data`` when it uploads files), so every accessor accepts both shapes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from emulator.errors import ApiError, bad_request

__all__ = ["Params", "read_params"]


async def read_params(request: web.Request) -> Params:
    """Merge query-string and body parameters the way the Bot API does."""
    values: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = json.loads(await request.read() or b"{}")
            except ValueError as error:
                raise bad_request("can't parse JSON object") from error
            if not isinstance(body, dict):
                raise bad_request("can't parse JSON object")
            values.update(body)
        elif content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            form = await request.post()
            values.update(form)
    return Params(values)


class Params:
    """Typed access to one request's parameters, answering 400 as Telegram does."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = dict(values)

    def __contains__(self, name: str) -> bool:
        return self.values.get(name) is not None

    def string(self, name: str) -> str | None:
        """A text parameter; numbers sent in JSON are taken as their text, as Telegram does."""
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        raise bad_request(f'field "{name}" must be of type String')

    def integer(self, name: str) -> int | None:
        """An integer parameter, sent as a JSON number or as digits."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise bad_request(f'field "{name}" must be of type Integer')
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError as error:
            raise bad_request(f'field "{name}" must be of type Integer') from error

    def number(self, name: str) -> float | None:
        """A number parameter (long-polling timeouts may be fractional)."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise bad_request(f'field "{name}" must be of type Number')
        try:
            return float(value)
        except (TypeError, ValueError) as error:
            raise bad_request(f'field "{name}" must be of type Number') from error

    def boolean(self, name: str) -> bool:
        """A boolean parameter; absent means false."""
        value = self.values.get(name)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in {"true", "1"}

    def json(self, name: str) -> Any:
        """A structured parameter: a JSON value, or a string holding one (form fields)."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError as error:
            raise bad_request(f"can't parse {name} JSON object") from error

    def chat_id(self, name: str = "chat_id") -> int | str:
        """A chat id: an integer, or "@username" for public groups and channels."""
        value = self.values.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, str) and value.startswith("@"):
            return value
        try:
            return self.integer(name) or 0
        except ApiError as error:
            raise bad_request("chat not found") from error
