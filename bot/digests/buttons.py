"""The buttons under a digest: full summary, more like this, unfollow a topic (with undo).

They are ordinary ``bot.callbacks`` buttons; ``bot.handlers.digests`` answers their presses.
"""

from __future__ import annotations

from bot.callbacks import Action, Button, topic_argument
from bot.digests.formatting import DigestButton

__all__ = ["as_button"]


def as_button(button: DigestButton) -> Button:
    """The press a digest button makes; a topic too long for 64 bytes becomes a short digest."""
    value = button.value
    if button.action in (Action.UNFOLLOW, Action.FOLLOW_AGAIN):
        value = topic_argument(button.action, value)
    return Button(button.action, value)
