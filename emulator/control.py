"""The control API under ``/_emulator/``: play the user's side over HTTP from another process.

Every answer is JSON ``{"ok": true, "result": ...}`` or ``{"ok": false, "description": ...}``
with status 400. Bodies are JSON objects; see the emulator package docstring for the routes.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from emulator.server import BotApiEmulator

__all__ = ["ControlApi", "control_routes"]

_MAX_WAIT = 60.0
Handler = Callable[[dict[str, Any], dict[str, str]], Awaitable[Any]]
_FAULTS = (
    "fail_next",
    "drop_next",
    "delay_next",
    "fail_share",
    "drop_share",
    "delay_share",
    "rate_limit_storm",
    "forbidden_share",
    "clear",
)

Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ControlApi:
    """The control API's endpoints, bound to one emulator: each takes the JSON body and query."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator

    def routes(self) -> list[web.RouteDef]:
        """The aiohttp routes, each endpoint answering JSON."""
        endpoints: dict[str, tuple[str, Handler]] = {
            "/_emulator/": ("GET", self.info),
            "/_emulator/send": ("POST", self.send),
            "/_emulator/press": ("POST", self.press),
            "/_emulator/sent": ("GET", self.sent),
            "/_emulator/messages": ("GET", self.messages),
            "/_emulator/callback_answer": ("GET", self.callback_answer),
            "/_emulator/stats": ("GET", self.stats),
            "/_emulator/commands": ("GET", self.commands),
            "/_emulator/chats": ("POST", self.add_chat),
            "/_emulator/block": ("POST", self.block),
            "/_emulator/unblock": ("POST", self.unblock),
            "/_emulator/admins": ("POST", self.admins),
            "/_emulator/faults": ("POST", self.faults),
            # Channels' bot status and inline mode.
            "/_emulator/bot_status": ("POST", self.bot_status),
            "/_emulator/inline": ("POST", self.inline),
            "/_emulator/inline_answer": ("GET", self.inline_answer),
            "/_emulator/choose": ("POST", self.choose),
        }
        return [
            web.route(method, path, _json_endpoint(handler))
            for path, (method, handler) in endpoints.items()
        ]

    async def send(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        fields = (
            "user_id",
            "chat_type",
            "language_code",
            "reply_to_message_id",
            "forward_from_chat",
            "message_thread_id",
            "username",
            "first_name",
            "last_name",
            "chat_title",
        )
        return self.emulator.send_message(
            int(body["chat_id"]),
            str(body["text"]),
            **{name: body[name] for name in fields if name in body},
        )

    async def press(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        user_id = body.get("user_id")
        callback_query_id = self.emulator.press_button(
            int(body["chat_id"]),
            int(body["message_id"]),
            str(body["data"]),
            None if user_id is None else int(user_id),
        )
        return {"callback_query_id": callback_query_id}

    async def sent(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        # Sends and edits after position ``after`` in the chat's log; waits up to ``timeout``
        # for at least one, so a terminal client can long-poll like the bot does.
        world = self.emulator.world
        chat_id = int(query["chat_id"])
        after = int(query.get("after", "0"))
        chat = world.chats.get(chat_id)

        def events() -> list[Any]:
            current = world.chats.get(chat_id) or chat
            return [] if current is None else current.events[after:]

        await world.changed.wait_until(lambda: bool(events()), _timeout(query))
        new = events()
        return {"messages": [message.as_dict() for message in new], "next": after + len(new)}

    async def messages(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        chat = self.emulator.world.chats.get(int(query["chat_id"]))
        return [] if chat is None else [m.as_dict() for m in chat.bot_messages.values()]

    async def callback_answer(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        query_id = query["callback_query_id"]
        world = self.emulator.world
        answers = world.callback_answers
        await world.changed.wait_until(lambda: query_id in answers, _timeout(query))
        answer = answers.get(query_id)
        return None if answer is None else answer.__dict__

    async def stats(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        return self.emulator.stats.as_dict()

    async def commands(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        return self.emulator.commands

    async def info(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        emulator = self.emulator
        return {
            "base_url": emulator.base_url,
            "bot": emulator.world.bot_user(),
            "limits": emulator.limits.__dict__,
            "chats": len(emulator.world.chats),
            "pending_updates": len(emulator.world.updates),
        }

    async def add_chat(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        self.emulator.add_chat(
            int(body["chat_id"]),
            str(body.get("chat_type", "private")),
            title=body.get("title"),
            username=body.get("username"),
            first_name=body.get("first_name"),
        )
        return True

    async def block(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        self.emulator.block_bot(int(body["chat_id"]))
        return True

    async def unblock(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        self.emulator.unblock_bot(int(body["chat_id"]))
        return True

    async def admins(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        user_ids = [int(user) for user in body["user_ids"]]
        self.emulator.set_chat_admins(int(body["chat_id"]), user_ids)
        return True

    async def faults(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        # {"fault": "fail_next", "n": 2, "status": 502} calls emulator.faults.fail_next(...).
        name = body.pop("fault", None)
        if name not in _FAULTS:
            raise ValueError(f"fault must be one of {', '.join(_FAULTS)}")
        getattr(self.emulator.faults, name)(**body)
        return True

    async def bot_status(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        by_user_id = body.get("by_user_id")
        self.emulator.set_bot_status(
            int(body["chat_id"]),
            str(body["status"]),
            None if by_user_id is None else int(by_user_id),
        )
        return True

    async def inline(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        query_id = self.emulator.send_inline_query(
            int(body["user_id"]),
            str(body["query"]),
            offset=str(body.get("offset", "")),
            chat_type=str(body.get("chat_type", "private")),
        )
        return {"inline_query_id": query_id}

    async def inline_answer(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        query_id = query["inline_query_id"]
        world = self.emulator.world
        answers = world.inline_answers
        await world.changed.wait_until(lambda: query_id in answers, _timeout(query))
        answer = answers.get(query_id)
        return None if answer is None else {**answer.__dict__, "results": list(answer.results)}

    async def choose(self, body: dict[str, Any], query: dict[str, str]) -> Any:
        sent = self.emulator.choose_inline_result(
            str(body["inline_query_id"]), str(body["result_id"]), int(body["chat_id"])
        )
        return sent.as_dict()


def control_routes(emulator: BotApiEmulator) -> list[web.RouteDef]:
    """The aiohttp routes of the control API, bound to one emulator."""
    return ControlApi(emulator).routes()


def _timeout(query: dict[str, str]) -> float:
    """A long poll's ``timeout`` query parameter, capped."""
    return min(float(query.get("timeout", "0")), _MAX_WAIT)


def _json_endpoint(
    handler: Callable[[dict[str, Any], dict[str, str]], Awaitable[Any]],
) -> Route:
    async def endpoint(request: web.Request) -> web.StreamResponse:
        try:
            body = (
                await request.json() if request.method == "POST" and request.can_read_body else {}
            )
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
            result = await handler(body, dict(request.query))
        except (KeyError, TypeError, ValueError) as error:
            description = f"missing field {error}" if isinstance(error, KeyError) else str(error)
            return web.json_response({"ok": False, "description": description}, status=400)
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    return endpoint


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
