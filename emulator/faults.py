"""Faults a test injects into the emulator's answers: 5xx, dropped connections, slow answers,
429 storms and 403 for a share of chats. Every choice is deterministic (counters or a seed).

Unless ``methods`` says otherwise, one-shot faults hit any method except ``getUpdates``, so a
bot that long-polls does not absorb a fault meant for its next ``sendMessage``; pass
``methods={"getUpdates"}`` to fault polling itself.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["MESSAGE_METHODS", "FaultAction", "Faults"]

# Methods that put something into a chat: these are rate limited and refused by blocked chats.
MESSAGE_METHODS = frozenset({"sendmessage", "editmessagetext"})
CHAT_METHODS = frozenset(
    {"sendmessage", "editmessagetext", "editmessagereplymarkup", "deletemessage", "sendchataction"}
)


@dataclass(frozen=True)
class FaultAction:
    """What to do to one request instead of (or as well as) answering it normally."""

    kind: Literal["fail", "drop", "drop_after", "delay"]
    status: int = 500
    seconds: float = 0.0


@dataclass
class _OneShot:
    action: FaultAction
    remaining: int
    methods: frozenset[str] | None

    def matches(self, method: str) -> bool:
        if self.methods is None:
            return method != "getupdates"
        return method in self.methods


def _method_set(methods: Iterable[str] | None) -> frozenset[str] | None:
    return None if methods is None else frozenset(name.lower() for name in methods)


@dataclass
class Faults:
    """Faults to inject; the emulator consults it on every Bot API request."""

    clock: Callable[[], float] = time.monotonic
    _one_shots: list[_OneShot] = field(default_factory=list)
    _storm_until: float = 0.0
    _storm_retry_after: int = 5
    _storm_methods: frozenset[str] = MESSAGE_METHODS
    _forbidden_fraction: float = 0.0
    _forbidden_seed: int = 0

    def fail_next(
        self, n: int = 1, status: int = 500, methods: Iterable[str] | None = None
    ) -> None:
        """Answer the next ``n`` matching requests with HTTP ``status`` (500, 502, ...)."""
        self._one_shots.append(
            _OneShot(FaultAction("fail", status=status), n, _method_set(methods))
        )

    def drop_next(
        self, n: int = 1, methods: Iterable[str] | None = None, after_processing: bool = False
    ) -> None:
        """Close the connection of the next ``n`` matching requests without an answer.

        With ``after_processing`` the request takes effect first (the message is delivered)
        and only the answer is lost: the case that makes a naive retry send twice.
        """
        kind: Literal["drop", "drop_after"] = "drop_after" if after_processing else "drop"
        self._one_shots.append(_OneShot(FaultAction(kind), n, _method_set(methods)))

    def delay_next(
        self, n: int = 1, seconds: float = 1.0, methods: Iterable[str] | None = None
    ) -> None:
        """Hold the next ``n`` matching requests for ``seconds`` before processing them."""
        self._one_shots.append(
            _OneShot(FaultAction("delay", seconds=seconds), n, _method_set(methods))
        )

    def rate_limit_storm(
        self, seconds: float, retry_after: int = 5, methods: Iterable[str] | None = None
    ) -> None:
        """Answer every message (or ``methods``) with 429 ``retry_after`` for ``seconds``."""
        self._storm_until = self.clock() + seconds
        self._storm_retry_after = retry_after
        self._storm_methods = (
            MESSAGE_METHODS if methods is None else frozenset(name.lower() for name in methods)
        )

    def forbidden_share(self, fraction: float, seed: int = 0) -> None:
        """Make about ``fraction`` of chats (picked by ``seed``) answer 403, as if blocked."""
        if not 0.0 <= fraction <= 1.0:
            raise ValueError("fraction must be between 0 and 1")
        self._forbidden_fraction = fraction
        self._forbidden_seed = seed

    def clear(self) -> None:
        """Remove every pending and ongoing fault."""
        self._one_shots.clear()
        self._storm_until = 0.0
        self._forbidden_fraction = 0.0

    def take(self, method: str) -> list[FaultAction]:
        """Consume the one-shot faults that apply to this request (``method`` in lower case)."""
        actions: list[FaultAction] = []
        for one_shot in self._one_shots:
            if one_shot.remaining > 0 and one_shot.matches(method):
                # A delay combines with another fault; two failures of one request do not.
                if one_shot.action.kind != "delay" and any(a.kind != "delay" for a in actions):
                    continue
                one_shot.remaining -= 1
                actions.append(one_shot.action)
        self._one_shots = [one_shot for one_shot in self._one_shots if one_shot.remaining > 0]
        actions.sort(key=lambda action: action.kind != "delay")
        return actions

    def storm_retry_after(self, method: str) -> int | None:
        """retry_after to answer if a 429 storm covers this request now, else None."""
        if method in self._storm_methods and self.clock() < self._storm_until:
            return self._storm_retry_after
        return None

    def is_forbidden(self, chat_id: int) -> bool:
        """Whether this chat belongs to the share that answers 403."""
        if self._forbidden_fraction <= 0.0:
            return False
        digest = hashlib.sha256(f"{self._forbidden_seed}:{chat_id}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < self._forbidden_fraction
