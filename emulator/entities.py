"""Entities Telegram finds in a user's plain text: commands, links, mentions and hashtags."""

from __future__ import annotations

import re
from typing import Any

from emulator.telegram_html import utf16_length

# Telegram marks "/cmd" and "/cmd@somebot" wherever they start a word; a command is at most
# 32 characters of Latin letters, digits and underscores.
_PATTERNS = (
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")),
    ("url", re.compile(r"(?<![\w@])https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'}]", re.IGNORECASE)),
    ("mention", re.compile(r"(?<![\w/@])@[A-Za-z][A-Za-z0-9_]{3,31}(?!\w)")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")),
)


def find_entities(text: str) -> list[dict[str, Any]]:
    """Bot API entities for the commands, URLs, mentions and hashtags in a user's text."""
    spans: list[tuple[int, int, str]] = []
    for entity_type, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if not any(
                start < other_end and other_start < end for other_start, other_end, _ in spans
            ):
                spans.append((start, end, entity_type))
    spans.sort()
    return [
        {
            "type": entity_type,
            "offset": utf16_length(text[:start]),
            "length": utf16_length(text[start:end]),
        }
        for start, end, entity_type in spans
    ]
