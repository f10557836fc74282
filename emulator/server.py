"""BotApiEmulator: the HTTP server, the user's side of the chats, and what tests await."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from types import TracebackType
from typing import Any, Self

import aiohttp
from aiohttp import web

from emulator.control import control_routes
from emulator.errors import ApiError
from emulator.faults import FaultAction, Faults
from emulator.limits import Limits, RateLimiter
from emulator.methods import BotApi
from emulator.params import Params, read_params
from emulator.state import CallbackAnswer, InlineAnswer, SentMessage, Stats, UserText, World

__all__ = ["DEFAULT_TOKEN", "BotApiEmulator"]

_LOGGER = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
# A stopped emulator should not wait a minute for long polls and slow answers to finish.
_SHUTDOWN_TIMEOUT = 1.0
_WEBHOOK_TIMEOUT = aiohttp.ClientTimeout(total=10)
_WEBHOOK_MAX_BACKOFF = 2.0


class BotApiEmulator:
    """A local Telegram Bot API server for one bot, with Telegram's checks and limits.

    Its methods belong to the event loop it was started on; other threads and processes
    use the control API under ``/_emulator/``.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "newsbot_demo_bot",
        limits: Limits | None = None,
        *,
        bot_first_name: str = "Newsbot",
        inline_queries: bool = True,
    ) -> None:
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("a bot token looks like 123456:secret")
        self.token = token
        self.limits = limits if limits is not None else Limits()
        self.faults = Faults()
        self.world = World(
            bot_id=int(bot_id),
            bot_username=bot_username,
            bot_first_name=bot_first_name,
            supports_inline_queries=inline_queries,
        )
        self.api = BotApi(self.world, RateLimiter(self.limits), self.faults)
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port = 0
        self._webhook_task: asyncio.Task[None] | None = None
        self._closing = False

    # --- life cycle ----------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve on ``host``:``port``; port 0 picks a free one (see ``base_url``)."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_routes(control_routes(self))
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=_SHUTDOWN_TIMEOUT)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        address = self._runner.addresses[0]
        self._host, self._port = host, int(address[1])
        self._closing = self.world.closing = False
        self._webhook_task = asyncio.create_task(self._deliver_webhooks())
        _LOGGER.info("Bot API emulator listening on %s", self.url)

    async def stop(self) -> None:
        """Answer pending long polls, stop webhook delivery and close the server."""
        self._closing = True
        self.world.closing = True
        self.world.changed.notify()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            await asyncio.gather(self._webhook_task, return_exceptions=True)
            self._webhook_task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """The server's root URL, e.g. http://127.0.0.1:8081 (the control API is under it)."""
        return f"http://{self._host}:{self._port}"

    @property
    def base_url(self) -> str:
        """What ``ApplicationBuilder().base_url(...)`` takes: the token and method follow it."""
        return f"{self.url}/bot"

    @property
    def stats(self) -> Stats:
        """Counters: requests per method, messages delivered, 429s, 403s, injected faults."""
        return self.world.stats

    @property
    def commands(self) -> list[dict[str, str]]:
        """The default-scope, all-languages command list from setMyCommands."""
        return list(self.world.commands.get(("type=default", ""), []))

    def commands_for(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        """The command list registered for a scope (a BotCommandScope dict) and language."""
        scope = scope or {"type": "default"}
        key = ",".join(f"{name}={scope[name]}" for name in sorted(scope))
        return list(self.world.commands.get((key, language_code), []))

    # --- the users' side -----------------------------------------------------------------

    def add_chat(
        self,
        chat_id: int,
        chat_type: str = "private",
        *,
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
    ) -> None:
        """Make a chat known without a message in it, so the bot may write there first."""
        self.world.add_chat(
            chat_id, chat_type, title=title, username=username, first_name=first_name
        )
        if chat_type == "private":
            self.world.add_user(chat_id, first_name, username)

    def send_message(self, chat_id: int, text: str, **details: Any) -> dict[str, Any]:
        """A user writes in a chat; returns the Message the bot will receive as an update.

        ``details`` are :class:`UserText`'s other fields: who writes (``user_id``, ``username``,
        ``first_name``, ``language_code``, ``anonymous_admin``) and how (``chat_type``,
        ``reply_to_message_id``, ``forward_from_chat``, ``message_thread_id``, ``chat_title``).
        """
        return self.world.user_message(UserText(chat_id, text, **details))

    def press_button(
        self, chat_id: int, message_id: int, data: str, user_id: int | None = None
    ) -> str:
        """A user presses an inline button; returns the callback query id."""
        return self.world.press_button(chat_id, message_id, data, user_id)

    def block_bot(self, chat_id: int) -> None:
        """The user blocks the bot: sends to the chat answer 403 until unblocked."""
        self.world.set_blocked(chat_id, blocked=True)

    def unblock_bot(self, chat_id: int) -> None:
        """The user unblocks the bot (writing to it does this too)."""
        self.world.set_blocked(chat_id, blocked=False)

    def set_chat_admins(self, chat_id: int, user_ids: Sequence[int]) -> None:
        """Set a group's administrators; the first is its creator."""
        chat = self.world.chats.get(chat_id)
        if chat is None:
            raise ValueError(f"unknown chat {chat_id}")
        for user_id in user_ids:
            self.world.add_user(user_id)
        chat.admin_ids = list(user_ids)

    def set_bot_status(self, chat_id: int, status: str, by_user_id: int | None = None) -> None:
        """A group's or channel's admin makes the bot ``administrator``, ``member`` (demoted),
        ``left`` (removed) or ``kicked``; the bot gets a my_chat_member update."""
        self.world.set_bot_status(chat_id, status, by_user_id)

    def send_inline_query(
        self, user_id: int, query: str, *, offset: str = "", chat_type: str = "private"
    ) -> str:
        """A user types ``@bot query`` in some chat; returns the inline query id.

        An identical query within the ``cache_time`` of an earlier answer is answered from
        Telegram's cache and never reaches the bot (``InlineAnswer.cached``)."""
        return self.world.inline_query(user_id, query, offset=offset, chat_type=chat_type)

    def inline_answer(self, inline_query_id: str) -> InlineAnswer | None:
        """How the bot answered an inline query, or None if it has not (yet)."""
        return self.world.inline_answers.get(inline_query_id)

    async def wait_for_inline_answer(
        self,
        inline_query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InlineAnswer:
        """Await the bot's answerInlineQuery; TimeoutError if it never comes."""
        answers = self.world.inline_answers
        if not await self.world.changed.wait_until(lambda: inline_query_id in answers, timeout):
            raise TimeoutError(f"the bot did not answer inline query {inline_query_id}")
        return answers[inline_query_id]

    def choose_inline_result(
        self, inline_query_id: str, result_id: str, chat_id: int
    ) -> SentMessage:
        """The user picks a result: it is posted in ``chat_id`` "via @bot" as the user's message."""
        return self.world.choose_inline_result(inline_query_id, result_id, chat_id)

    # Waits take ``timeout`` (not asyncio.timeout scopes) so a test reads as one line and the
    # TimeoutError can say what did arrive.

    # --- what the bot did ----------------------------------------------------------------

    def sent_messages(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages in a chat, in order, as they look now (deleted ones left out)."""
        chat = self.world.chats.get(chat_id)
        if chat is None:
            return []
        chat.cursor = len(chat.events)
        return list(chat.bot_messages.values())

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        """One of the bot's messages as it looks now."""
        return self.world.chats[chat_id].bot_messages[message_id]

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """Await ``count`` new sends or edits in a chat since the last read; TimeoutError if not."""

        def new_events() -> int:
            chat = self.world.chats.get(chat_id)
            return 0 if chat is None else len(chat.events) - chat.cursor

        if not await self.world.changed.wait_until(lambda: new_events() >= count, timeout):
            seen = self._new_events(chat_id)
            raise TimeoutError(
                f"waited {timeout} s for {count} new message(s) in chat {chat_id}, "
                f"got {len(seen)}: {[message.text[:80] for message in seen]}"
            )
        chat = self.world.chats[chat_id]
        new = chat.events[chat.cursor : chat.cursor + count]
        chat.cursor += count
        return new

    def _new_events(self, chat_id: int) -> list[SentMessage]:
        chat = self.world.chats.get(chat_id)
        return [] if chat is None else chat.events[chat.cursor :]

    def callback_answer(self, callback_query_id: str) -> CallbackAnswer | None:
        """How the bot answered a button press, or None if it has not (yet)."""
        return self.world.callback_answers.get(callback_query_id)

    async def wait_for_callback_answer(
        self,
        callback_query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        """Await the bot's answerCallbackQuery for a press; TimeoutError if it never comes."""
        answers = self.world.callback_answers
        if not await self.world.changed.wait_until(lambda: callback_query_id in answers, timeout):
            raise TimeoutError(
                f"the bot did not answer callback query {callback_query_id} within {timeout} s"
            )
        return answers[callback_query_id]

    async def wait_until(
        self,
        condition: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        """Await any condition on the emulator's state; re-checked after every change."""
        if not await self.world.changed.wait_until(condition, timeout):
            raise TimeoutError(f"condition not met within {timeout} s")

    async def wait_for_updates_consumed(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Await the bot confirming every queued update (getUpdates offset or webhook)."""
        updates = self.world.updates
        if not await self.world.changed.wait_until(lambda: not updates, timeout):
            raise TimeoutError(f"{len(updates)} update(s) still pending after {timeout} s")

    # --- HTTP ----------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        method = request.match_info["method"]
        key = method.lower()
        handler = self.api.handlers.get(key)
        self.stats.requests[self.api.names.get(key, method)] += 1
        if token != self.token:
            # Telegram answers 404 to a malformed token and 401 to a well-formed unknown one.
            if ":" not in token:
                return _error(ApiError(404, "Not Found"))
            return _error(ApiError(401, "Unauthorized"))
        if handler is None:
            return _error(ApiError(404, "Not Found: method not found"))
        # The request is read before any fault applies: once a client has sent it, Telegram has
        # it, so a slow answer still does the work after the client stopped waiting.
        try:
            params: Params | None = await read_params(request)
        except ApiError as error:
            self._count_error(error)
            params, body, status = None, error.payload(), error.status
        drop_after = False
        for action in self.faults.take(key):
            response = await self._apply_fault(request, action)
            if response is not None:
                return response
            drop_after = drop_after or action.kind == "drop_after"
        if params is not None:
            try:
                body = {"ok": True, "result": await handler(params)}
                status = 200
            except ApiError as error:
                self._count_error(error)
                body, status = error.payload(), error.status
        if drop_after:
            return self._drop(request)
        return web.json_response(body, status=status)

    async def _apply_fault(
        self, request: web.Request, action: FaultAction
    ) -> web.StreamResponse | None:
        if action.kind == "delay":
            self.stats.requests_delayed += 1
            # Sleep through the delay, but not past stop(): the server is going away.
            await self.world.changed.wait_until(lambda: self._closing, action.seconds)
            return None
        if action.kind == "fail":
            self.stats.server_errors_injected += 1
            if action.status == 502:
                # Telegram's front end answers 502 with an nginx HTML page, not JSON.
                return web.Response(
                    status=502,
                    text="<html><head><title>502 Bad Gateway</title></head></html>",
                    content_type="text/html",
                )
            return _error(ApiError(action.status, "Internal Server Error"))
        if action.kind == "drop":
            return self._drop(request)
        return None

    def _drop(self, request: web.Request) -> web.StreamResponse:
        self.stats.connections_dropped += 1
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)

    def _count_error(self, error: ApiError) -> None:
        if error.status == 429:
            self.stats.rate_limited += 1
        elif error.status == 403:
            self.stats.forbidden += 1
        elif error.status == 400:
            self.stats.bad_requests += 1

    async def _deliver_webhooks(self) -> None:
        """POST queued updates to the webhook in order, retrying with back-off on failure."""
        world = self.world
        backoff = 0.05
        async with aiohttp.ClientSession(timeout=_WEBHOOK_TIMEOUT) as session:
            while not self._closing:
                ready = await world.changed.wait_until(
                    lambda: self._closing or (world.webhook is not None and bool(world.updates)),
                    3600,
                )
                if not ready or self._closing or world.webhook is None:
                    continue
                webhook, update = world.webhook, world.updates[0]
                headers = {}
                if webhook["secret_token"]:
                    headers["X-Telegram-Bot-Api-Secret-Token"] = webhook["secret_token"]
                error = await _post_update(session, webhook["url"], update, headers)
                if error is None:
                    if world.updates and world.updates[0] is update:
                        world.updates.popleft()
                        world.stats.updates_delivered += 1
                        world.changed.notify()
                    backoff = 0.05
                    continue
                webhook["last_error_date"] = world.now()
                webhook["last_error_message"] = error
                world.stats.webhook_failures += 1
                world.changed.notify()
                await world.changed.wait_until(partial(self._webhook_replaced, webhook), backoff)
                backoff = min(backoff * 2, _WEBHOOK_MAX_BACKOFF)

    def _webhook_replaced(self, webhook: dict[str, Any]) -> bool:
        """Stop backing off when the emulator closes or the bot sets another webhook."""
        return self._closing or self.world.webhook is not webhook


async def _post_update(
    session: aiohttp.ClientSession, url: str, update: dict[str, Any], headers: dict[str, str]
) -> str | None:
    """Deliver one update; returns None on success or Telegram-style error text."""
    try:
        async with session.post(url, json=update, headers=headers) as response:
            if 200 <= response.status < 300:
                return None
            return f"Wrong response from the webhook: {response.status} {response.reason}"
    except TimeoutError:
        return "Read timeout expired"
    except aiohttp.ClientError as error:
        return f"Connection failed: {error.__class__.__name__}"


def _error(error: ApiError) -> web.Response:
    return web.json_response(error.payload(), status=error.status)
