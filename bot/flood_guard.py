"""Per-user limits on incoming messages, so one user's flood cannot slow everyone else down.

Every reply to a chat waits for Telegram's ~1 message/s per chat, and each waiting handler
holds one of the application's concurrent-update slots: a user sending 100 messages a second
would soon hold all of them, and the replies owed to that one chat would take minutes to
drain. The guard runs before every other handler and drops what a user sends beyond a budget,
telling them once (politely) to slow down. Expensive requests (links to fetch, long pasted
texts, summaries and searches) have a smaller budget of their own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.i18n import N_, resolve_language, translator
from bot.services import NewsApplication, NewsContext

__all__ = ["TokenBucket", "UserBudgets", "is_expensive", "register"]

_LOGGER = logging.getLogger(__name__)

# Any message: a burst of 8, then one every 1.5 s (a person typing never gets near it).
MESSAGE_BURST, MESSAGE_INTERVAL = 8, 1.5
# Fetching a page or summarising a long text costs real work: a burst of 3, then one every 10 s.
EXPENSIVE_BURST, EXPENSIVE_INTERVAL = 3, 10.0
# A long pasted text is summarised; a short message is a command or a question.
LONG_TEXT = 1000
# At most one "slow down" notice per user in this many seconds (the notice is a message too).
NOTICE_INTERVAL = 30.0
SLOW_DOWN = N_(
    "You are sending messages faster than I can answer, so I skipped some. "
    "Please wait a few seconds; links and long texts can be summarised once every 10 seconds."
)
_EXPENSIVE_COMMANDS = ("/summary", "/search", "/related")
GUARD_GROUP = -100


@dataclass(slots=True)
class TokenBucket:
    """``burst`` tokens, one more every ``interval`` seconds."""

    burst: int
    interval: float
    tokens: float
    updated: float

    def take(self, now: float) -> bool:
        """Spend a token if there is one."""
        self.tokens = min(self.burst, self.tokens + (now - self.updated) / self.interval)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class UserBudgets:
    """Each user's message and expensive-request buckets, and when they were last warned."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_users: int = 50_000):
        self._clock = clock
        self._max_users = max_users
        self._buckets: dict[tuple[int, bool], TokenBucket] = {}
        self._warned: dict[int, float] = {}

    def _bucket(self, user_id: int, expensive: bool, now: float) -> TokenBucket:
        bucket = self._buckets.get((user_id, expensive))
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
            bucket = self._buckets[(user_id, expensive)] = TokenBucket(
                burst, interval, float(burst), now
            )
        return bucket

    def allow(self, user_id: int, *, expensive: bool) -> bool:
        """Whether to handle this message from ``user_id`` (spends from its budgets)."""
        now = self._clock()
        if not self._bucket(user_id, False, now).take(now):
            return False
        return not expensive or self._bucket(user_id, True, now).take(now)

    def should_warn(self, user_id: int) -> bool:
        """True at most once per NOTICE_INTERVAL per user."""
        now = self._clock()
        if now - self._warned.get(user_id, -NOTICE_INTERVAL) < NOTICE_INTERVAL:
            return False
        if len(self._warned) > self._max_users:
            self._warned.clear()
        self._warned[user_id] = now
        return True


def is_expensive(text: str) -> bool:
    """A link to fetch, a long text to summarise, or a summary or search command."""
    stripped = text.strip()
    command = stripped.split(maxsplit=1)[0].split("@", 1)[0].lower() if stripped else ""
    return (
        len(stripped) >= LONG_TEXT
        or command in _EXPENSIVE_COMMANDS
        or "http://" in stripped.lower()
        or "https://" in stripped.lower()
    )


def register(application: NewsApplication, budgets: UserBudgets | None = None) -> None:
    """Check every message against its sender's budget before any other handler runs."""
    guard = budgets or UserBudgets()

    async def check(update: Update, context: NewsContext) -> None:
        message = update.message
        user = update.effective_user
        if message is None or user is None:
            return
        text = message.text or message.caption or ""
        if guard.allow(user.id, expensive=is_expensive(text)):
            return
        # The text itself is the user's: it stays out of the log.
        _LOGGER.info("Dropped a message from user %s over their rate limit", user.id)
        if guard.should_warn(user.id):
            # No database read for a flood: the chat's remembered language or the user's.
            language = resolve_language(
                context.services.languages.get(message.chat_id), user.language_code
            )
            await message.reply_text(translator(language).gettext(SLOW_DOWN))
        raise ApplicationHandlerStop

    # A group of its own, ahead of all others (only one handler per group sees an update, and
    # the chat bookkeeping already takes group -1).
    application.add_handler(TypeHandler(Update, check), group=GUARD_GROUP)
