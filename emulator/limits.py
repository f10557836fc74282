"""Telegram's flood limits: 30 messages/s per bot, about 1/s per chat, 20/min per group.

Telegram does not publish exact algorithms, only the guidance in its Bot FAQ ("avoid sending
more than one message per second" to a chat, "no more than 20 messages per minute" to a group,
"no more than about 30 messages per second" overall) and the observation that short bursts to
a chat pass. We model that as:

* overall: at most ``global_per_second`` messages in any sliding one-second window;
* per chat: a token bucket holding ``chat_burst`` messages, refilled at ``chat_per_second``;
* per group (group, supergroup, channel): at most ``group_per_minute`` in a sliding minute.

A message over any limit is answered 429 with ``retry_after``: the whole seconds until it
would pass, at least 1.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Limits", "RateLimiter"]


@dataclass(frozen=True)
class Limits:
    """Flood limits the emulator enforces; ``Limits(enforce=False)`` switches them off."""

    enforce: bool = True
    global_per_second: int = 30
    chat_per_second: float = 1.0
    chat_burst: int = 3
    group_per_minute: int = 20


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    """Decides whether a message may go out now, and records it when it may."""

    limits: Limits
    clock: Callable[[], float] = time.monotonic
    _recent: deque[float] = field(default_factory=deque)
    _buckets: dict[int, _Bucket] = field(default_factory=dict)
    _group_recent: dict[int, deque[float]] = field(default_factory=dict)

    def acquire(self, chat_id: int, is_group: bool) -> int | None:
        """Record a message to ``chat_id`` and return None, or return retry_after seconds."""
        if not self.limits.enforce:
            return None
        now = self.clock()
        waits: list[float] = []
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.limits.global_per_second:
            waits.append(self._recent[0] + 1.0 - now)
        bucket = self._buckets.get(chat_id)
        if bucket is None:
            bucket = self._buckets[chat_id] = _Bucket(float(self.limits.chat_burst), now)
        tokens = min(
            float(self.limits.chat_burst),
            bucket.tokens + (now - bucket.updated) * self.limits.chat_per_second,
        )
        if tokens < 1.0:
            waits.append((1.0 - tokens) / self.limits.chat_per_second)
        group_recent = self._group_recent.setdefault(chat_id, deque()) if is_group else None
        if group_recent is not None:
            while group_recent and group_recent[0] <= now - 60.0:
                group_recent.popleft()
            if len(group_recent) >= self.limits.group_per_minute:
                waits.append(group_recent[0] + 60.0 - now)
        if waits:
            return max(1, math.ceil(max(waits)))
        self._recent.append(now)
        bucket.tokens = tokens - 1.0
        bucket.updated = now
        if group_recent is not None:
            group_recent.append(now)
        return None
