"""Outgoing request limits: Telegram's overall and group limits, ~1 message/s per chat, retries.

PTB's AIORateLimiter keeps the overall (30/s) and per-group (20/min) limits and retries after a
429 ``retry_after``, but it has no per-chat limit and does not retry network errors. This
limiter wraps it and adds both, so interactive replies and the digest fan-out share one set of
limits simply by sending through the same bot.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter, BaseRateLimiter

__all__ = ["NewsRateLimiter", "PerChatLimiter"]

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
        self._telegram_limits = AIORateLimiter(
            overall_max_rate=overall_per_second,
            overall_time_period=1,
            group_max_rate=group_per_minute,
            group_time_period=60,
            max_retries=max_retries,
        )
        self._chats = PerChatLimiter(chat_rate, chat_burst)
        self._network_retries = network_retries
        self._backoff_seconds = backoff_seconds

    async def initialize(self) -> None:
        """Initialise the wrapped limiter."""
        await self._telegram_limits.initialize()

    async def shutdown(self) -> None:
        """Shut the wrapped limiter down."""
        await self._telegram_limits.shutdown()

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
        if chat_id is not None and endpoint.startswith(_MESSAGE_ENDPOINT_PREFIXES):
            await self._chats.acquire(chat_id)
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
                if attempt >= self._network_retries:
                    _LOGGER.warning(
                        "Giving up on %s after %d attempts: %s", endpoint, attempt + 1, error
                    )
                    raise
                delay = self._backoff_seconds * 2**attempt
                attempt += 1
                _LOGGER.info("Retrying %s in %.1fs after %s", endpoint, delay, error)
                await asyncio.sleep(delay)
