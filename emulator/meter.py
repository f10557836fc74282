"""Observed sending rates: the peak messages in any one second, overall and to one chat.

Benchmarks read these to show the bot stayed inside Telegram's limits, whether or not the
emulator enforces them.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["RateMeter"]


@dataclass
class RateMeter:
    """Counts accepted messages in a sliding one-second window and keeps the peaks."""

    clock: Callable[[], float] = time.monotonic
    peak_per_second: int = 0
    peak_chat_per_second: int = 0
    _recent: deque[float] = field(default_factory=deque)
    _chat_recent: dict[int, deque[float]] = field(default_factory=dict)

    def observe(self, chat_id: int) -> None:
        """Record one message to ``chat_id`` now."""
        now = self.clock()
        self.peak_per_second = max(self.peak_per_second, _push(self._recent, now))
        chat_recent = self._chat_recent.setdefault(chat_id, deque())
        self.peak_chat_per_second = max(self.peak_chat_per_second, _push(chat_recent, now))


def _push(window: deque[float], now: float) -> int:
    window.append(now)
    while window[0] <= now - 1.0:
        window.popleft()
    return len(window)
