"""Sending digests at Telegram's pace: even spacing overall, >= 1 s per chat, faults handled.

The bot's own rate limiter (``bot.ratelimit.NewsRateLimiter``) still sits under every request
and keeps Telegram's limits for all traffic together. Digests add a pacer in front of it: bulk
messages leave evenly spaced at a rate just under Telegram's 30/s, never in bursts, so
interactive replies always find room in the limiter's budget instead of queueing behind
thousands of digest messages.

A scheduled digest is sent from its recorded plan (``send_plan``): its articles were logged as
delivered when the plan was recorded, and each message is marked once Telegram accepted it, so
a run resumed after any crash sends only the messages not yet marked. A digest sent outside
the schedule (``send_digest``, ``newsbot digest``) logs each message's articles right before
it is sent. Either way the request and its bookkeeping are shielded from cancellation:
stopping the bot mid-run lets the message in flight finish and be recorded.
"""

from __future__ import annotations

import asyncio
import enum
import functools
import json
import logging
import os
import warnings
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

from bot.digests.buttons import as_button
from bot.digests.formatting import DigestButton, DigestMessage
from bot.keyboards import keyboard
from bot.pictures import top_story_preview
from storage import Store
from storage.digests import DigestPlan

__all__ = [
    "DeliveryOutcome",
    "DigestPacer",
    "DigestSender",
    "digest_keyboard",
    "keyboard_json",
    "new_bot_client",
    "retry_after_seconds",
    "send_with_new_bot",
]

_LOGGER = logging.getLogger(__name__)

DEFAULT_MESSAGES_PER_SECOND = 28.0
# A hair over one second, so clock jitter between us and Telegram never makes two in one.
DEFAULT_CHAT_INTERVAL = 1.05
DEFAULT_MAX_IN_FLIGHT = 4
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds (PTB is moving this attribute to timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class DigestPacer:
    """Spaces bulk sends evenly (no bursts) overall and at least ``chat_interval`` per chat."""

    def __init__(
        self,
        *,
        per_second: float = DEFAULT_MESSAGES_PER_SECOND,
        chat_interval: float = DEFAULT_CHAT_INTERVAL,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        clock: Callable[[], float] | None = None,
    ) -> None:
        # Few requests in flight: while the bot's limiter holds requests after a 429, at most
        # these few pile up behind it, so they cannot leave together as a burst that earns the
        # next 429.
        self.in_flight = asyncio.Semaphore(max_in_flight)
        self._slot_lock = asyncio.Lock()
        self._interval = 1.0 / per_second
        self._chat_interval = chat_interval
        self._clock = clock
        self._next_global = 0.0
        self._next_by_chat: dict[int, float] = {}

    def _now(self) -> float:
        return self._clock() if self._clock else asyncio.get_running_loop().time()

    async def wait_for_chat(self, chat_id: int) -> None:
        """Wait until the chat's previous message is at least ``chat_interval`` old."""
        ready = self._next_by_chat.get(chat_id, 0.0)
        now = self._now()
        if ready > now:
            await asyncio.sleep(ready - now)

    async def wait_for_slot(self) -> None:
        """Wait for the next overall slot: one interval after the previous send left."""
        # The slot is claimed when the send really leaves, under a lock, never in advance:
        # after a stalled event loop the waiters go out one interval apart, not all at once.
        async with self._slot_lock:
            now = self._now()
            if self._next_global > now:
                await asyncio.sleep(self._next_global - now)
            self._next_global = self._now() + self._interval

    def answered(self, chat_id: int, *, waited: float = 0.0) -> None:
        """Start the chat's interval when Telegram answered (a retried request ends late).

        An answer that took a second or more was held by the bot's limiter after a 429; the
        requests held with it leave together, so the next second is left to them.
        """
        now = self._now()
        if waited >= 1.0:
            self.pause(1.0)
        self._next_by_chat[chat_id] = now + self._chat_interval
        if len(self._next_by_chat) > 8192:
            self._next_by_chat = {
                chat: ready for chat, ready in self._next_by_chat.items() if ready > now
            }

    def pause(self, seconds: float) -> None:
        """Hold every bulk send for ``seconds`` (Telegram asked us to wait)."""
        self._next_global = max(self._next_global, self._now() + seconds)


class DeliveryOutcome(enum.Enum):
    """How a chat's digest fared."""

    SENT = "sent"
    EMPTY = "empty"
    BLOCKED = "blocked"
    FAILED = "failed"
    RETRY_LATER = "retry_later"
    INTERRUPTED = "interrupted"


def digest_keyboard(rows: Sequence[Sequence[DigestButton]]) -> InlineKeyboardMarkup | None:
    """The Telegram keyboard for a digest message's buttons; None for a message without."""
    if not rows:
        return None
    return keyboard([[(button.label, as_button(button)) for button in row] for row in rows])


def keyboard_json(rows: Sequence[Sequence[DigestButton]]) -> str | None:
    """A digest message's keyboard as Bot API JSON, as a plan records it."""
    markup = digest_keyboard(rows)
    return None if markup is None else markup.to_json()


def _markup_from_json(data: str | None) -> InlineKeyboardMarkup | None:
    if data is None:
        return None
    return InlineKeyboardMarkup.de_json(json.loads(data), None)


# A planned message with one of these outcomes is never sent again (400: Telegram would refuse
# it again).
_DONE = frozenset({DeliveryOutcome.SENT, DeliveryOutcome.FAILED})


@dataclass(frozen=True, slots=True)
class _Attempt:
    outcome: DeliveryOutcome
    sent: bool


class DigestSender:
    """Sends one chat's digest messages in order through the bot and its rate limiter."""

    def __init__(
        self,
        bot: Bot,
        store: Store,
        pacer: DigestPacer,
        *,
        max_attempts: int = 4,
        backoff_seconds: float = 1.0,
        on_sent: Callable[[int], None] | None = None,
        previews: bool = False,
    ) -> None:
        self._bot = bot
        # The operator's switch (NEWSBOT_PREVIEWS): a digest's first message previews its top
        # story's picture, unless the chat said /previews off; the other messages never do.
        self._previews = previews
        # Told the chat id of every message Telegram accepted (metrics, benchmarks).
        self._on_sent = on_sent
        self._store = store
        self._queries = store.digests
        self._pacer = pacer
        self._max_attempts = max_attempts
        self._backoff_seconds = backoff_seconds
        self.messages_sent = 0
        # Chats whose forum topic was deleted during this sender's life (sent to the main chat).
        self._threads_gone: set[int] = set()

    async def send_digest(
        self,
        chat_id: int,
        messages: Sequence[DigestMessage],
        *,
        at: datetime,
        message_thread_id: int | None = None,
        keep_going: Callable[[], bool] = lambda: True,
    ) -> DeliveryOutcome:
        """Send every message; stop at a blocked chat, a network failure or a shutdown."""
        preview = await self._preview(chat_id, messages[0].article_ids if messages else ())
        return await self._send_in_order(
            (
                functools.partial(
                    self._send_one,
                    chat_id,
                    message.text,
                    digest_keyboard(message.buttons),
                    thread_id=message_thread_id,
                    logged=(message.article_ids, at),
                    preview=preview if index == 0 else _NO_PREVIEW,
                )
                for index, message in enumerate(messages)
            ),
            outcome=DeliveryOutcome.EMPTY,
            keep_going=keep_going,
        )

    async def send_plan(
        self,
        plan: DigestPlan,
        *,
        message_thread_id: int | None = None,
        keep_going: Callable[[], bool] = lambda: True,
    ) -> DeliveryOutcome:
        """Send the plan's messages not yet accepted, marking each once Telegram accepts it.

        A resumed plan whose messages all went out before a crash sends nothing and counts as
        sent. The plan's articles are in the delivery log already; on BLOCKED the caller
        releases the unsent ones.
        """
        sent_before = any(part.sent for part in plan.parts)
        first = plan.parts[0] if plan.parts and not plan.parts[0].sent else None
        preview = await self._preview(plan.chat_id, first.article_ids if first else ())
        # Interrupted, the rest goes out after the restart, from the plan: the chat is still due.
        return await self._send_in_order(
            (
                functools.partial(
                    self._send_one,
                    plan.chat_id,
                    part.text,
                    _markup_from_json(part.keyboard),
                    thread_id=message_thread_id,
                    on_done=(plan.chat_id, part.part),
                    preview=preview if part is first else _NO_PREVIEW,
                )
                for part in plan.unsent
            ),
            outcome=DeliveryOutcome.SENT if sent_before else DeliveryOutcome.EMPTY,
            keep_going=keep_going,
        )

    async def _preview(self, chat_id: int, article_ids: Sequence[int]) -> LinkPreviewOptions:
        return await top_story_preview(self._store, chat_id, article_ids, enabled=self._previews)

    @staticmethod
    async def _send_in_order(
        sends: Iterable[Callable[[], Awaitable[_Attempt]]],
        *,
        outcome: DeliveryOutcome,
        keep_going: Callable[[], bool],
    ) -> DeliveryOutcome:
        """Make each send in turn; stop at a shutdown, a blocked chat or a network failure.

        ``outcome`` is what nothing sent yet counts as; a send that went out sets it.
        """
        for send in sends:
            if not keep_going():
                return DeliveryOutcome.INTERRUPTED
            result = await send()
            if result.outcome in (DeliveryOutcome.BLOCKED, DeliveryOutcome.RETRY_LATER):
                return result.outcome
            if result.sent or outcome is DeliveryOutcome.EMPTY:
                outcome = result.outcome
        return outcome

    async def _send_one(
        self,
        chat_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None,
        *,
        thread_id: int | None,
        logged: tuple[Sequence[int], datetime] | None = None,
        on_done: tuple[int, int] | None = None,
        preview: LinkPreviewOptions = _NO_PREVIEW,
    ) -> _Attempt:
        """Send one message, retrying; ``logged`` logs its articles first, ``on_done`` marks
        the planned part (chat id, part) once Telegram accepted or for good refused it."""
        for attempt in range(self._max_attempts):
            await self._pacer.wait_for_chat(chat_id)
            async with self._pacer.in_flight:
                await self._pacer.wait_for_slot()
                # Shielded: once the log entry is written the request goes out and its answer
                # is handled even if the run is being cancelled, so the log matches what went.
                task = asyncio.ensure_future(
                    self._log_and_send(
                        chat_id,
                        text=text,
                        markup=markup,
                        thread_id=thread_id,
                        logged=logged,
                        on_done=on_done,
                        preview=preview,
                    )
                )
                started = asyncio.get_running_loop().time()
                try:
                    result = await asyncio.shield(task)
                except asyncio.CancelledError:
                    await asyncio.wait([task])
                    raise
                finally:
                    waited = asyncio.get_running_loop().time() - started
                    self._pacer.answered(chat_id, waited=waited)
            if result is not None:
                return result
            if attempt + 1 < self._max_attempts:
                await asyncio.sleep(self._backoff_seconds * 2**attempt)
        _LOGGER.warning("Digest to chat %s not sent after %d attempts", chat_id, self._max_attempts)
        return _Attempt(DeliveryOutcome.RETRY_LATER, sent=False)

    async def _log_and_send(
        self,
        chat_id: int,
        *,
        text: str,
        markup: InlineKeyboardMarkup | None,
        thread_id: int | None,
        logged: tuple[Sequence[int], datetime] | None,
        on_done: tuple[int, int] | None,
        preview: LinkPreviewOptions,
    ) -> _Attempt | None:
        """One try: an outcome, or None to try again."""
        attempt = await self._try_send(chat_id, text, markup, thread_id, logged, preview=preview)
        done = attempt is not None and attempt.outcome in _DONE
        if on_done is not None and done:
            # Killed before this write, the message goes again after the restart: the one
            # message in flight at a crash may arrive twice (at least once), never lost.
            await self._queries.mark_part_sent(*on_done)
        return attempt

    async def _try_send(
        self,
        chat_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None,
        thread_id: int | None,
        logged: tuple[Sequence[int], datetime] | None,
        *,
        preview: LinkPreviewOptions,
    ) -> _Attempt | None:
        article_ids: Sequence[int] = ()
        if logged is not None:
            article_ids, at = logged
            await self._queries.record_deliveries(chat_id, article_ids, at)
        if chat_id in self._threads_gone:
            thread_id = None
        try:
            await self._bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                message_thread_id=thread_id,
                link_preview_options=preview,
            )
        except Forbidden:
            _LOGGER.info("Chat %s blocked the bot; marking it inactive", chat_id)
            await self._queries.forget_deliveries(chat_id, article_ids, chat_gone=True)
            return _Attempt(DeliveryOutcome.BLOCKED, sent=False)
        except BadRequest as error:
            # Telegram will refuse the same message again: log it, keep it out of later
            # digests (its log entry stays) and go on with the rest.
            _LOGGER.warning("Telegram refused a digest message to chat %s: %s", chat_id, error)
            if thread_id is not None and "thread not found" in str(error).lower():
                # The forum topic the schedule was set in was deleted: the digest goes to the
                # group's main thread from now on, starting with this message.
                self._threads_gone.add(chat_id)
                await self._queries.forget_deliveries(chat_id, article_ids, thread_gone=True)
                return None
            if "chat not found" in str(error).lower():
                await self._store.chats.set_active(chat_id, False)
                return _Attempt(DeliveryOutcome.BLOCKED, sent=False)
            return _Attempt(DeliveryOutcome.FAILED, sent=False)
        except RetryAfter as error:
            wait = retry_after_seconds(error)
            _LOGGER.info("Telegram asked to wait %.0f s; pausing digests", wait)
            self._pacer.pause(wait)
            await self._queries.forget_deliveries(chat_id, article_ids)
            return None
        except TimedOut as error:
            # The request may have reached Telegram and only the answer was lost: counting it
            # as sent risks one lost digest message, sending again risks a duplicate.
            _LOGGER.warning("No answer to a digest message for chat %s: %s", chat_id, error)
            return _Attempt(DeliveryOutcome.SENT, sent=True)
        except NetworkError as error:
            # The bot's limiter already retried with back-off; ours waits longer between runs.
            _LOGGER.info("Network error sending a digest to chat %s: %s", chat_id, error)
            await self._queries.forget_deliveries(chat_id, article_ids)
            return None
        self.messages_sent += 1
        if self._on_sent is not None:
            self._on_sent(chat_id)
        return _Attempt(DeliveryOutcome.SENT, sent=True)


def new_bot_client(token: str, api_base_url: str) -> Bot:
    """A bot client with the bot's own rate limiter, for sending outside the application."""
    from telegram.ext import ExtBot  # noqa: PLC0415 - only standalone senders need one

    from bot.ratelimit import NewsRateLimiter  # noqa: PLC0415

    # As the application does: PTB's coming timedelta retry_after, without deprecation noise.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    bot: ExtBot[int] = ExtBot(token, base_url=api_base_url, rate_limiter=NewsRateLimiter())
    return bot


async def send_with_new_bot(
    token: str,
    api_base_url: str,
    store: Store,
    chat_id: int,
    messages: Sequence[DigestMessage],
    *,
    at: datetime,
    message_thread_id: int | None = None,
) -> DeliveryOutcome:
    """Send one digest outside the running bot (``newsbot digest``), with the bot's limiter."""
    async with new_bot_client(token, api_base_url) as bot:
        sender = DigestSender(bot, store, DigestPacer())
        return await sender.send_digest(
            chat_id, messages, at=at, message_thread_id=message_thread_id
        )
