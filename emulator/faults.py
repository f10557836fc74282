"""Faults a test injects into the emulator's answers: 5xx, dropped connections, slow answers,
429 storms and 403 for a share of chats. Every choice is deterministic: ``*_next`` faults hit
the next n matching requests, ``*_share`` faults a seeded random share of them, and
``forbidden_share`` a share of chats chosen by hashing the seed with the chat id.

Unless ``methods`` says otherwise, one-shot faults hit any method except ``getUpdates``, so a
bot that long-polls does not absorb a fault meant for its next ``sendMessage``; pass
``methods={"getUpdates"}`` to fault polling itself.
"""

from __future__ import annotations

import hashlib
import random
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
class _Rule:
    """A fault for the next ``remaining`` matching requests, or for a seeded share of them."""

    action: FaultAction
    methods: frozenset[str] | None
    remaining: int | None = None
    fraction: float = 1.0
    rng: random.Random | None = None

    def matches(self, method: str) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.methods is None:
            return method != "getupdates"
        return method in self.methods

    def fires(self) -> bool:
        """Whether this matching request is hit; shares draw from their own seeded generator."""
        if self.rng is not None and self.rng.random() >= self.fraction:
            return False
        if self.remaining is not None:
            self.remaining -= 1
        return True


def _method_set(methods: Iterable[str] | None) -> frozenset[str] | None:
    return None if methods is None else frozenset(name.lower() for name in methods)


@dataclass
class Faults:
    """Faults to inject; the emulator consults it on every Bot API request."""

    clock: Callable[[], float] = time.monotonic
    _rules: list[_Rule] = field(default_factory=list)
    _storm_until: float = 0.0
    _storm_retry_after: int = 5
    _storm_methods: frozenset[str] = MESSAGE_METHODS
    _forbidden_fraction: float = 0.0
    _forbidden_seed: int = 0

    def fail_next(
        self, n: int = 1, status: int = 500, methods: Iterable[str] | None = None
    ) -> None:
        """Answer the next ``n`` matching requests with HTTP ``status`` (500, 502, ...)."""
        self._rules.append(_Rule(FaultAction("fail", status=status), _method_set(methods), n))

    def drop_next(
        self, n: int = 1, methods: Iterable[str] | None = None, after_processing: bool = False
    ) -> None:
        """Close the connection of the next ``n`` matching requests without an answer.

        With ``after_processing`` the request takes effect first (the message is delivered)
        and only the answer is lost: the case that makes a naive retry send twice.
        """
        kind: Literal["drop", "drop_after"] = "drop_after" if after_processing else "drop"
        self._rules.append(_Rule(FaultAction(kind), _method_set(methods), n))

    def delay_next(
        self, n: int = 1, seconds: float = 1.0, methods: Iterable[str] | None = None
    ) -> None:
        """Hold the next ``n`` matching requests for ``seconds`` before processing them."""
        self._rules.append(_Rule(FaultAction("delay", seconds=seconds), _method_set(methods), n))

    def fail_share(
        self,
        fraction: float,
        status: int = 500,
        seed: int = 0,
        methods: Iterable[str] | None = None,
    ) -> None:
        """From now on answer about ``fraction`` of matching requests with HTTP ``status``."""
        self._add_share(FaultAction("fail", status=status), fraction, seed, methods)

    def drop_share(
        self,
        fraction: float,
        seed: int = 0,
        methods: Iterable[str] | None = None,
        after_processing: bool = False,
    ) -> None:
        """From now on drop the connection of about ``fraction`` of matching requests."""
        kind: Literal["drop", "drop_after"] = "drop_after" if after_processing else "drop"
        self._add_share(FaultAction(kind), fraction, seed, methods)

    def delay_share(
        self,
        fraction: float,
        seconds: float,
        seed: int = 0,
        methods: Iterable[str] | None = None,
    ) -> None:
        """From now on hold about ``fraction`` of matching requests for ``seconds``."""
        self._add_share(FaultAction("delay", seconds=seconds), fraction, seed, methods)

    def _add_share(
        self, action: FaultAction, fraction: float, seed: int, methods: Iterable[str] | None
    ) -> None:
        if not 0.0 <= fraction <= 1.0:
            raise ValueError("fraction must be between 0 and 1")
        # Each share draws from its own generator, so adding one fault does not reshuffle
        # which requests another one hits: the same seed and request order, the same run.
        self._rules.append(
            _Rule(action, _method_set(methods), fraction=fraction, rng=random.Random(seed))
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
        self._rules.clear()
        self._storm_until = 0.0
        self._forbidden_fraction = 0.0

    def take(self, method: str) -> list[FaultAction]:
        """The faults that hit this request (``method`` in lower case), delays first."""
        actions: list[FaultAction] = []
        for rule in self._rules:
            # A delay combines with another fault; two failures of one request do not.
            blocked = rule.action.kind != "delay" and any(a.kind != "delay" for a in actions)
            if not blocked and rule.matches(method) and rule.fires():
                actions.append(rule.action)
        self._rules = [rule for rule in self._rules if rule.remaining != 0]
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
