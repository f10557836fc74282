"""Which chat a private chat's commands act on: its own, or a channel managed with /channel.

Every reader command finds its chat with ``chat_id_of(update)`` and answers with
``reply_html``; redirecting those two while a command runs for a channel makes all of them
work on the channel without a second copy of any handler. The value lives in a ContextVar set
at the start of every update (``bot.handlers.channels``), so it never outlives the update or
leaks into another: PTB handles each update in its own task, with its own copy of the context.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["ActingFor", "act_for", "acting_for"]


@dataclass(frozen=True, slots=True)
class ActingFor:
    """The private chat ``private_chat_id`` is changing ``chat_id``, shown as ``name``."""

    private_chat_id: int
    chat_id: int
    name: str


_ACTING: ContextVar[ActingFor | None] = ContextVar("acting_for", default=None)


def acting_for() -> ActingFor | None:
    """The channel the current update's command acts on, or None."""
    return _ACTING.get()


def act_for(target: ActingFor | None) -> None:
    """Set (or clear) the channel the current update's commands act on."""
    _ACTING.set(target)
