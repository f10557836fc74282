"""Per-sender limits on incoming updates, so one user's flood cannot slow everyone else down.

Every reply to a chat waits for Telegram's ~1 message/s per chat, and each waiting handler
holds one of the application's concurrent-update slots: a user sending 100 messages (or button
presses) a second would soon hold all of them, and the replies owed to that one chat would take
minutes to drain. The guard judges every update before any handler runs and drops what a
sender sends beyond a budget, telling them once (politely) to slow down. Expensive requests
(links to fetch, long texts to summarise, the commands the command table marks expensive, and
the buttons that do the same work) have a smaller budget of their own.

What one chat may hold is bounded too: :class:`FairUpdateProcessor` runs a chat's expensive
updates one at a time, each within a time budget, so a chat never holds more than one of the
database readers or summary workers, and its queued work waits behind its own, not ahead of
other chats'. A chat's line is short (EXPENSIVE_BURST); what arrives while it is full is
dropped like any update over budget. Work is charged by its duration too: a request that runs
long costs its chat further expensive tokens, so no command lets one chat take more than a
bounded share of the bot's time.

A flood costs the bot little besides: with long polling, :class:`GuardedUpdatesRequest` judges
each update on the JSON as it arrives, so what is dropped is never decoded into PTB's objects,
queued or handled (a dropped button press, which carries its whole message, cost more to decode
than anything else it did); only the update that earns its sender the notice goes on.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop, BaseUpdateProcessor, TypeHandler

from bot.api_request import BotApiRequest
from bot.callbacks import Action, decode
from bot.commands import COMMANDS
from bot.i18n import N_, resolve_language, translator
from bot.parsing import LONG_TEXT_CHARS, MIN_TEXT_CHARS
from bot.services import NewsApplication, NewsContext

__all__ = [
    "EXPENSIVE_COMMANDS",
    "FairUpdateProcessor",
    "FloodGuard",
    "GuardedUpdatesRequest",
    "TokenBucket",
    "UserBudgets",
    "Verdict",
    "is_expensive",
    "is_expensive_update",
    "register",
]

_LOGGER = logging.getLogger(__name__)

# Any update: a burst of 8, then one every 1.5 s (a person typing never gets near it).
MESSAGE_BURST, MESSAGE_INTERVAL = 8, 1.5
# Fetching a page or summarising a long text costs real work: a burst of 3, then one every 10 s.
EXPENSIVE_BURST, EXPENSIVE_INTERVAL = 3, 10.0
# At most one "slow down" notice per sender in this many seconds (the notice is a message too).
NOTICE_INTERVAL = 30.0
# One expensive update may run this long; then it is cancelled and its chat's next one starts.
REQUEST_BUDGET_SECONDS = 60.0
# An expensive request's token pays for this much work (seconds, from its start in its chat's
# line to its end); longer work is charged in further tokens, owed before the chat's next
# expensive request starts. So one chat's expensive work takes at most about this share of the
# bot's time: WORK_SECONDS_PER_TOKEN / EXPENSIVE_INTERVAL, whatever the command.
WORK_SECONDS_PER_TOKEN = 3.0
# Expensive updates one chat may have running or waiting; more are dropped. A burst's worth:
# a reader's burst is served whole, while a chat whose requests are stuck cannot pile up more.
CHAT_LINE_LENGTH = EXPENSIVE_BURST
SLOW_DOWN = N_(
    "You are sending messages faster than I can answer, so I skipped some. "
    "Please wait a few seconds; links and long texts can be summarised once every 10 seconds."
)
GUARD_GROUP = -100
EXPENSIVE_COMMANDS = frozenset(f"/{command.name}" for command in COMMANDS if command.expensive)
# Buttons that do a command's work; a press bot.callbacks cannot decode (forged, or an old
# format) costs as expensive too.
# /latest's Older/Newer are not among them: a page is a read of ten stored rows, and readers
# page back and forth quickly.
_EXPENSIVE_ACTIONS = frozenset({Action.DIGEST_NOW, Action.DIGEST_SUMMARY, Action.MORE_LIKE_THIS})


@dataclass(slots=True)
class TokenBucket:
    """``burst`` tokens, one more every ``interval`` seconds."""

    burst: int
    interval: float
    tokens: float
    updated: float

    def take(self, now: float) -> bool:
        """Spend a token if there is one."""
        self._refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def owe(self, tokens: float, now: float) -> None:
        """Spend ``tokens`` more than there are: the bucket refills from below zero."""
        self._refill(now)
        self.tokens -= tokens

    def in_debt(self, now: float) -> bool:
        """Whether more was spent than has been earned back."""
        self._refill(now)
        return self.tokens < 0.0

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.updated) / self.interval)
        self.updated = now


class UserBudgets:
    """Each sender's update and expensive-request buckets, and when they were last warned.

    A sender is a user id, or a chat id for posts made as a chat (anonymous admins).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_users: int = 50_000):
        self.clock = clock
        self._max_users = max_users
        self._buckets: dict[tuple[int, bool], TokenBucket] = {}
        self._warned: dict[int, float] = {}

    def _bucket(self, sender: int, expensive: bool, now: float) -> TokenBucket:
        bucket = self._buckets.get((sender, expensive))
        if bucket is None:
            if len(self._buckets) > self._max_users:
                # Full buckets carry no state worth keeping: forget them.
                self._buckets = {
                    key: value
                    for key, value in self._buckets.items()
                    if value.tokens + (now - value.updated) / value.interval < value.burst
                }
            burst, interval = (
                (EXPENSIVE_BURST, EXPENSIVE_INTERVAL)
                if expensive
                else (MESSAGE_BURST, MESSAGE_INTERVAL)
            )
            bucket = self._buckets[(sender, expensive)] = TokenBucket(
                burst, interval, float(burst), now
            )
        return bucket

    def allow(self, sender: int, *, expensive: bool) -> bool:
        """Whether to handle this update from ``sender`` (spends from its budgets)."""
        now = self.clock()
        if not self._bucket(sender, False, now).take(now):
            return False
        return not expensive or self._bucket(sender, True, now).take(now)

    def charge_work(self, sender: int, seconds: float) -> None:
        """Charge ``sender``'s expensive budget for ``seconds`` of work beyond what a token
        pays for."""
        extra = seconds / WORK_SECONDS_PER_TOKEN - 1.0
        if extra > 0:
            now = self.clock()
            self._bucket(sender, True, now).owe(extra, now)

    def owes_work(self, sender: int) -> bool:
        """Whether ``sender``'s expensive work so far has cost more than their budget earned."""
        now = self.clock()
        return self._bucket(sender, True, now).in_debt(now)

    def should_warn(self, sender: int) -> bool:
        """True at most once per NOTICE_INTERVAL per sender."""
        now = self.clock()
        if now - self._warned.get(sender, -NOTICE_INTERVAL) < NOTICE_INTERVAL:
            return False
        if len(self._warned) > self._max_users:
            self._warned.clear()
        self._warned[sender] = now
        return True


def is_expensive(text: str, *, forwarded: bool = False) -> bool:
    """A link to fetch, a text long enough to summarise, or an expensive command."""
    stripped = text.strip()
    command = stripped.split(maxsplit=1)[0].split("@", 1)[0].lower() if stripped else ""
    return (
        len(stripped) >= LONG_TEXT_CHARS
        or (forwarded and len(stripped) >= MIN_TEXT_CHARS)
        or command in EXPENSIVE_COMMANDS
        or "http://" in stripped.lower()
        or "https://" in stripped.lower()
    )


def is_expensive_update(update: Update) -> bool:
    """Whether the update starts expensive work: see :func:`is_expensive`, and for a button
    press whether it does the work of an expensive command."""
    message = update.message
    if message is not None:
        text = message.text or message.caption or ""
        return is_expensive(text, forwarded=message.forward_origin is not None)
    query = update.callback_query
    return query is not None and _is_expensive_press(query.data)


def _is_expensive_press(data: str | None) -> bool:
    button = decode(data)
    return button is None or button.action in _EXPENSIVE_ACTIONS


def sender_of(update: Update) -> int | None:
    """Whose budget the update spends: the user's, or the chat's for posts made as a chat.

    All anonymous admins of all groups arrive as one user (and a linked channel's posts as
    another), so their budget is the chat they post as.
    """
    message = update.message
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id
    user = update.effective_user
    return user.id if user is not None else None


def _raw_sender_and_cost(data: Mapping[str, Any]) -> tuple[int | None, bool]:
    """:func:`sender_of` and :func:`is_expensive_update` for an update still in its JSON form."""
    message = data.get("message")
    if isinstance(message, Mapping):
        sender_chat, user = message.get("sender_chat"), message.get("from")
        who = sender_chat if isinstance(sender_chat, Mapping) else user
        text = message.get("text") or message.get("caption") or ""
        forwarded = message.get("forward_origin") is not None
        return _id(who), is_expensive(str(text), forwarded=forwarded)
    query = data.get("callback_query")
    if isinstance(query, Mapping):
        press = query.get("data")
        return _id(query.get("from")), _is_expensive_press(
            press if isinstance(press, str) else None
        )
    # Other kinds (inline queries, membership changes) are cheap; their sender is "from".
    for value in data.values():
        if isinstance(value, Mapping):
            return _id(value.get("from")), False
    return None, False


def _id(value: object) -> int | None:
    identifier = value.get("id") if isinstance(value, Mapping) else None
    return identifier if isinstance(identifier, int) else None


class Verdict(enum.Enum):
    """What the guard decided for one update."""

    HANDLE = "handle"
    DROP = "drop"
    # Drop it, and tell its sender (once per NOTICE_INTERVAL) to slow down.
    NOTICE = "notice"


class FloodGuard:
    """Judges each update once (spending from its sender's budgets) and remembers the verdict
    until the update is processed."""

    def __init__(self, budgets: UserBudgets | None = None) -> None:
        self.budgets = budgets or UserBudgets()
        self._verdicts: dict[int, Verdict] = {}

    def judge(self, update: Update) -> Verdict:
        """The verdict for ``update``: the one given to its JSON form, or a new one."""
        verdict = self._verdicts.get(update.update_id)
        if verdict is None:
            verdict = self._keep(update.update_id, self._decide(*_sender_and_cost(update)))
        return verdict

    def judge_raw(self, data: Mapping[str, Any]) -> Verdict:
        """The verdict for an update still in its JSON form; kept for :meth:`judge` unless it
        is a silent drop (such an update is never decoded: see :meth:`dropped`)."""
        update_id = data.get("update_id")
        verdict = self._decide(*_raw_sender_and_cost(data))
        if isinstance(update_id, int) and verdict is not Verdict.DROP:
            self._keep(update_id, verdict)
        return verdict

    def dropped(self, update_id: int) -> None:
        """Record that the update ``update_id`` goes on only to be dropped unhandled."""
        self._keep(update_id, Verdict.DROP)

    def refuse(self, update: Update) -> Verdict:
        """Drop ``update`` after all (its chat has too much waiting), telling its sender once."""
        sender = sender_of(update)
        warn = sender is not None and self.budgets.should_warn(sender)
        verdict = Verdict.NOTICE if warn else Verdict.DROP
        return self._keep(update.update_id, verdict)

    def verdict(self, update: Update) -> Verdict:
        """The verdict given to ``update`` (or a new one), forgotten once read."""
        verdict = self.judge(update)
        self._verdicts.pop(update.update_id, None)
        return verdict

    def _keep(self, update_id: int, verdict: Verdict) -> Verdict:
        if len(self._verdicts) > 10_000:
            # Verdicts are read within moments; a pile means updates that never reached the
            # handler (an application stopping): nothing in it is still wanted.
            self._verdicts.clear()
        self._verdicts[update_id] = verdict
        return verdict

    def _decide(self, sender: int | None, expensive: bool) -> Verdict:
        if sender is None or self.budgets.allow(sender, expensive=expensive):
            return Verdict.HANDLE
        return Verdict.NOTICE if self.budgets.should_warn(sender) else Verdict.DROP


def _sender_and_cost(update: Update) -> tuple[int | None, bool]:
    return sender_of(update), is_expensive_update(update)


class GuardedUpdatesRequest(BotApiRequest):
    """getUpdates' connection: the guard judges each update before PTB decodes it.

    A dropped update leaves the answer, except the batch's last, which stays as a bare
    ``update_id`` so that the next getUpdates confirms it (PTB takes the offset from the last
    update it was given); the processor drops it unhandled.
    """

    def __init__(self, guard: FloodGuard) -> None:
        super().__init__(connection_pool_size=1)
        self._guard = guard

    # PTB declares it static but calls it on the request object, so an override may use self.
    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        """The answer, without the updates the guard drops silently."""
        answer = BotApiRequest.parse_json_payload(payload)
        updates = answer.get("result")
        if not isinstance(updates, list) or not updates:
            return answer
        kept = [
            update
            for update in updates
            if not isinstance(update, dict) or self._guard.judge_raw(update) is not Verdict.DROP
        ]
        last = updates[-1]
        if not kept or kept[-1] is not last:
            update_id = last.get("update_id") if isinstance(last, dict) else None
            if isinstance(update_id, int):
                self._guard.dropped(update_id)
                kept.append({"update_id": update_id})
        answer["result"] = kept
        return answer


class FairUpdateProcessor(BaseUpdateProcessor):
    """Updates run concurrently, except that each chat's expensive ones run one at a time.

    The guard judges each update first: one it drops is never handled, and one beyond its
    budget never waits in a chat's line. An expensive update that runs longer than
    REQUEST_BUDGET_SECONDS is cancelled; one that finds its chat's line full is dropped.
    """

    def __init__(
        self,
        max_concurrent_updates: int,
        guard: FloodGuard | None = None,
        *,
        budget_seconds: float = REQUEST_BUDGET_SECONDS,
        line_length: int = CHAT_LINE_LENGTH,
    ) -> None:
        super().__init__(max_concurrent_updates)
        self.guard = guard or FloodGuard()
        self._budget_seconds = budget_seconds
        self._line_length = line_length
        # Each chat with expensive work running or waiting: its lock and how many hold or want it.
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handlers, in its chat's line when it is expensive."""
        if not isinstance(update, Update):
            await coroutine
            return
        verdict = self.guard.judge(update)
        chat = update.effective_chat
        if verdict is Verdict.HANDLE and chat is not None and is_expensive_update(update):
            _, waiting = self._chats.get(chat.id, (None, 0))
            if waiting < self._line_length:
                await self._in_line(update, chat.id, coroutine)
                return
            verdict = self.guard.refuse(update)
        await self._act_on(update, coroutine, verdict)

    async def _act_on(self, update: Update, coroutine: Awaitable[Any], verdict: Verdict) -> None:
        """Run the update's handlers, unless the verdict drops it silently."""
        if verdict is Verdict.DROP:
            self.guard.verdict(update)  # read: forgotten
            # Never started, so closing it is all it costs (the guard's handler would only
            # stop it).
            if asyncio.iscoroutine(coroutine):
                coroutine.close()
            return
        # Handled, or dropped with the notice that the guard's handler sends.
        await coroutine

    async def _in_line(self, update: Update, chat_id: int, coroutine: Awaitable[Any]) -> None:
        lock, waiting = self._chats.get(chat_id, (asyncio.Lock(), 0))
        self._chats[chat_id] = (lock, waiting + 1)
        sender = sender_of(update)
        try:
            async with lock:
                if sender is not None and self.guard.budgets.owes_work(sender):
                    # Its chat's earlier work cost more than its budget while it waited.
                    await self._act_on(update, coroutine, self.guard.refuse(update))
                    return
                clock = self.guard.budgets.clock
                started = clock()
                try:
                    async with asyncio.timeout(self._budget_seconds):
                        await coroutine
                finally:
                    if sender is not None:
                        self.guard.budgets.charge_work(sender, clock() - started)
        except TimeoutError:
            _LOGGER.warning(
                "Cancelled update %s of chat %s after its %g s budget",
                update.update_id,
                chat_id,
                self._budget_seconds,
            )
        finally:
            lock, waiting = self._chats[chat_id]
            if waiting == 1:
                del self._chats[chat_id]
            else:
                self._chats[chat_id] = (lock, waiting - 1)


def register(application: NewsApplication) -> None:
    """Stop every update over its sender's budget before any other handler runs."""
    processor = application.update_processor
    guard = processor.guard if isinstance(processor, FairUpdateProcessor) else FloodGuard()

    async def check(update: Update, context: NewsContext) -> None:
        verdict = guard.verdict(update)
        if verdict is Verdict.HANDLE:
            return
        # The text itself is the user's: it stays out of the log.
        _LOGGER.info("Dropped an update from %s over its rate limit", sender_of(update))
        if verdict is Verdict.NOTICE:
            await _warn(update, context)
        raise ApplicationHandlerStop

    # A group of its own, ahead of all others (only one handler per group sees an update, and
    # the chat bookkeeping already takes group -1).
    application.add_handler(TypeHandler(Update, check), group=GUARD_GROUP)


async def _warn(update: Update, context: NewsContext) -> None:
    """Tell the sender to slow down, with no database read: the chat's remembered language."""
    chat = update.effective_chat
    user = update.effective_user
    remembered = context.services.languages.get(chat.id) if chat is not None else None
    t = translator(resolve_language(remembered, user.language_code if user else None))
    if update.callback_query is not None:
        # An answer to the press: no message in the chat, and the spinner stops.
        await update.callback_query.answer(t.gettext(SLOW_DOWN)[:200])
    elif isinstance(update.message, Message):
        await update.message.reply_text(t.gettext(SLOW_DOWN))
