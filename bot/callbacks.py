"""Compact, versioned callback_data for inline buttons (Telegram allows at most 64 bytes).

A button's data is ``<version><action>:<argument>``. The version lets a later format treat
old buttons as stale instead of misreading them; unknown or malformed data decodes to None and
the press is answered politely rather than raising.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "MAX_CALLBACK_BYTES",
    "Action",
    "Button",
    "decode",
    "encode",
    "encoded_size",
    "resolve_topic",
    "topic_argument",
]

MAX_CALLBACK_BYTES = 64
_VERSION = "1"
_DIGEST_PREFIX = "#"
_DIGEST_CHARS = 12


class Action(StrEnum):
    """What a button does; the values are the one-letter codes sent to Telegram."""

    SUBSCRIBE = "s"
    UNSUBSCRIBE = "u"
    DIGEST_NOW = "d"
    SUMMARY_LENGTH = "l"
    DIGEST_DAY = "w"
    TIME_ZONE = "z"
    FORGET_CONFIRM = "f"
    FORGET_CANCEL = "c"
    UNMUTE = "m"
    SOURCE = "o"
    LANGUAGE = "g"
    DIGEST_TIME = "h"
    DIGEST_STORIES = "n"
    NOTHING_NEW_NOTICES = "e"
    # An admin's Approve/Deny under an access request ("a:<user id>" or "d:<user id>").
    ACCESS = "A"
    # /latest's "Older ›" / "‹ Newer" (the page's position in the stored history).
    LATEST_PAGE = "L"
    # A digest story's buttons (argument: the article id) and its topic's (argument: a topic).
    DIGEST_SUMMARY = "y"
    MORE_LIKE_THIS = "k"
    UNFOLLOW = "x"
    FOLLOW_AGAIN = "r"


@dataclass(frozen=True, slots=True)
class Button:
    """A decoded button press: the action and its (possibly empty) argument."""

    action: Action
    argument: str = ""


def encode(button: Button) -> str:
    """Encode a button; raise ValueError when it would exceed Telegram's 64-byte limit."""
    data = f"{_VERSION}{button.action.value}:{button.argument}"
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> Button | None:
    """Decode callback data; None when it is unknown, malformed or from an older format."""
    if not data or len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        return None
    version, code, separator, argument = data[:1], data[1:2], data[2:3], data[3:]
    if version != _VERSION or separator != ":":
        return None
    try:
        action = Action(code)
    except ValueError:
        return None
    return Button(action, argument)


def _topic_digest(topic: str) -> str:
    return _DIGEST_PREFIX + hashlib.sha256(topic.encode("utf-8")).hexdigest()[:_DIGEST_CHARS]


def topic_argument(action: Action, topic: str) -> str:
    """The topic itself when it fits in a button, else a short digest resolved on press."""
    if encoded_size(action, topic) <= MAX_CALLBACK_BYTES and not topic.startswith(_DIGEST_PREFIX):
        return topic
    return _topic_digest(topic)


def encoded_size(action: Action, argument: str) -> int:
    """How many bytes a button's data would take (for fitting arguments)."""
    return len(f"{_VERSION}{action.value}:{argument}".encode())


def resolve_topic(argument: str, candidates: Iterable[str]) -> str | None:
    """Turn a button's topic argument back into a topic, looking digests up in ``candidates``."""
    if not argument.startswith(_DIGEST_PREFIX):
        return argument or None
    return next((topic for topic in candidates if _topic_digest(topic) == argument), None)
