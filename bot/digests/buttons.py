"""The buttons under a digest: full summary, more like this, unfollow a topic (with undo).

They are ordinary ``bot.callbacks`` buttons; ``bot.handlers.digests`` answers their presses.
"""

from __future__ import annotations

from bot.callbacks import Action, Button, decode, encode, topic_argument
from bot.digests.formatting import DigestButton

__all__ = ["DIGEST_ACTIONS", "as_button", "callback_data", "parse_callback_data"]

DIGEST_ACTIONS = (
    Action.DIGEST_SUMMARY,
    Action.MORE_LIKE_THIS,
    Action.UNFOLLOW,
    Action.FOLLOW_AGAIN,
)


def as_button(button: DigestButton) -> Button:
    """The press a digest button makes; a topic too long for 64 bytes becomes a short digest."""
    value = button.value
    if button.action in (Action.UNFOLLOW, Action.FOLLOW_AGAIN):
        value = topic_argument(button.action, value)
    return Button(button.action, value)


def callback_data(button: DigestButton) -> str:
    """The button's data, within Telegram's 64 bytes."""
    return encode(as_button(button))


def parse_callback_data(data: str | None) -> Button | None:
    """The digest button that ``data`` encodes, or None when it is not one."""
    button = decode(data)
    return button if button is not None and button.action in DIGEST_ACTIONS else None
