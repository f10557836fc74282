"""Outgoing request limits: 30 messages/s overall, 20/min per group, ~1/s per chat, retries.

PTB's AIORateLimiter retries after a 429 ``retry_after`` (pausing every request meanwhile),
but its limits are leaky buckets that let a full burst through and then keep dripping: 30 at
once plus one every 33 ms puts 31 messages in one second, which Telegram (and our emulator)
answer with 429. It also has no per-chat limit and does not retry network errors. So we keep
AIORateLimiter only for its 429 handling and put our own sliding windows and per-chat pacing
in front of it; interactive replies and the digest fan-out share them by sending through the
same bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter, BaseRateLimiter

__all__ = ["NewsRateLimiter", "PerChatLimiter", "SlidingWindow"]

_LOGGER = logging.getLogger(__name__)

JSONDict = dict[str, Any]
_Result = bool | JSONDict | list[JSONDict]

# Only requests that put a message in front of a person count towards the per-chat limit;
# lookups such as getChatMember carry a chat_id too but Telegram does not throttle them that way.
_MESSAGE_ENDPOINT_PREFIXES = ("send", "edit", "copy", "forward")


class PerChatLimiter:
    """At most ``rate`` messages per second to each chat, allowing a short burst of ``burst``.

    A generic cell-rate algorithm: one number per chat (the earliest time the next message may
    go), so memory stays small for many chats and idle chats are pruned.
    """

    def __init__(self, rate: float = 1.0, burst: int = 3) -> None:
        # 10% headroom: our clock and Telegram's disagree by the request latency, and a
        # message that arrives a few milliseconds early costs a 429 and a full second.
        self._interval = 1.1 / rate
        self._burst_allowance = (burst - 1) * self._interval
        self._next_at: dict[int | str, float] = {}

    async def acquire(self, chat_id: int | str) -> None:
        """Wait until a message to ``chat_id`` is allowed and reserve its slot."""
        now = asyncio.get_running_loop().time()
        if len(self._next_at) > 4096:
            self._next_at = {key: at for key, at in self._next_at.items() if at > now}
        theoretical = max(self._next_at.get(chat_id, now), now)
        wait = theoretical - self._burst_allowance - now
        self._next_at[chat_id] = theoretical + self._interval
        if wait > 0:
            await asyncio.sleep(wait)


class SlidingWindow:
    """At most ``limit`` events in any ``period`` seconds, as the server counts them.

    An event holds its slot from the moment it is sent until ``period`` after its answer came
    back. The server saw it somewhere in between, so however late a burst reaches the server
    (a busy machine delays requests unevenly), the next burst cannot land in the same window.
    """

    def __init__(self, limit: int, period: float) -> None:
        self._limit = limit
        # Holding slots until the answer already covers the request's latency; 2% more covers
        # the server's clock running slightly slow against ours.
        self._period = period * 1.02
        self._answered_at: list[float] = []
        self._in_flight = 0
        self._released = asyncio.Event()
        self._lock = asyncio.Lock()

    def idle(self, now: float) -> bool:
        """Whether nothing is in flight or answered within the last period (so it can go)."""
        return self._in_flight == 0 and all(
            answered <= now - self._period for answered in self._answered_at
        )

    async def acquire(self) -> None:
        """Wait until one more event fits in the window and take its slot; ``release`` it."""
        # The lock keeps waiters in order, so a burst drains first come, first served.
        async with self._lock:
            loop = asyncio.get_running_loop()
            while True:
                now = loop.time()
                self._answered_at = [t for t in self._answered_at if t > now - self._period]
                if self._in_flight + len(self._answered_at) < self._limit:
                    self._in_flight += 1
                    return
                self._released.clear()
                # Wake when the oldest answer leaves the window or an event in flight returns.
                expires = min(self._answered_at, default=None)
                timeout = None if expires is None else expires + self._period - now
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._released.wait(), timeout)

    def release(self) -> None:
        """The event's answer arrived (or it failed): its slot expires one period from now."""
        self._in_flight -= 1
        self._answered_at.append(asyncio.get_running_loop().time())
        self._released.set()


class NewsRateLimiter(BaseRateLimiter[int]):
    """AIORateLimiter plus a per-chat limit and bounded retries with back-off on network errors."""

    def __init__(
        self,
        *,
        overall_per_second: float = 30,
        group_per_minute: float = 20,
        chat_rate: float = 1.0,
        chat_burst: int = 3,
        max_retries: int = 3,
        network_retries: int = 3,
        backoff_seconds: float = 0.5,
    ) -> None:
        # Zero rates switch AIORateLimiter's own buckets off; it only handles 429s here.
        self._telegram_limits = AIORateLimiter(
            overall_max_rate=0, group_max_rate=0, max_retries=max_retries
        )
        self._overall = SlidingWindow(int(overall_per_second), 1.0)
        self._group_per_minute = int(group_per_minute)
        self._groups: dict[int | str, SlidingWindow] = {}
        self._chats = PerChatLimiter(chat_rate, chat_burst)
        self._network_retries = network_retries
        self._backoff_seconds = backoff_seconds

    async def initialize(self) -> None:
        """Initialise the wrapped limiter."""
        await self._telegram_limits.initialize()

    async def shutdown(self) -> None:
        """Shut the wrapped limiter down."""
        await self._telegram_limits.shutdown()

    def _group_window(self, chat_id: int | str) -> SlidingWindow:
        if len(self._groups) > 4096:
            now = asyncio.get_running_loop().time()
            self._groups = {key: w for key, w in self._groups.items() if not w.idle(now)}
        window = self._groups.get(chat_id)
        if window is None:
            window = self._groups[chat_id] = SlidingWindow(self._group_per_minute, 60.0)
        return window

    async def process_request(  # noqa: PLR0917 (the signature is PTB's)
        self,
        callback: Callable[..., Coroutine[Any, Any, _Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> _Result:
        """Apply the per-chat limit, then Telegram's limits; retry network errors with back-off."""
        chat_id = data.get("chat_id")
        windows: list[SlidingWindow] = []
        if chat_id is not None and endpoint.startswith(_MESSAGE_ENDPOINT_PREFIXES):
            await self._chats.acquire(chat_id)
            if _is_group(chat_id):
                windows.append(self._group_window(chat_id))
            windows.append(self._overall)
        taken: list[SlidingWindow] = []
        try:
            for window in windows:
                await window.acquire()
                taken.append(window)
            return await self._send_with_retries(
                callback,
                args,
                kwargs,
                endpoint=endpoint,
                data=data,
                rate_limit_args=rate_limit_args,
            )
        finally:
            for window in taken:
                window.release()

    async def _send_with_retries(
        self,
        callback: Callable[..., Coroutine[Any, Any, _Result]],
        args: Any,
        kwargs: dict[str, Any],
        *,
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> _Result:
        attempt = 0
        while True:
            try:
                return await self._telegram_limits.process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest:
                # Telegram understood and refused the request; sending it again cannot help.
                raise
            except NetworkError as error:
                if _maybe_delivered(error, endpoint):
                    # No answer in time, but the message may well be in the chat: sending it
                    # again would show it twice. The caller decides (digests count it as sent).
                    raise
                if attempt >= self._network_retries:
                    _LOGGER.warning(
                        "Giving up on %s after %d attempts: %s", endpoint, attempt + 1, error
                    )
                    raise
                delay = self._backoff_seconds * 2**attempt
                attempt += 1
                _LOGGER.info("Retrying %s in %.1fs after %s", endpoint, delay, error)
                await asyncio.sleep(delay)


def _maybe_delivered(error: NetworkError, endpoint: str) -> bool:
    """A message request that timed out after it was sent (not while connecting or queueing)."""
    if not isinstance(error, TimedOut) or not endpoint.startswith(_MESSAGE_ENDPOINT_PREFIXES):
        return False
    return not isinstance(error.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout)


def _is_group(chat_id: object) -> bool:
    """Groups and channels have negative ids (or an @channel username)."""
    if isinstance(chat_id, str):
        return chat_id.startswith(("@", "-"))
    return isinstance(chat_id, int) and chat_id < 0
