"""Topics: normalisation and the full-text expressions that match them."""

from __future__ import annotations

from collections.abc import Iterable

from storage.errors import InvalidTopicError
from storage.text import collapse_spaces, fts_phrase

MAX_TOPIC_LENGTH = 64


def normalize_topic(text: str) -> str:
    """Trim, lower-case and collapse whitespace; at most 64 characters. Raises InvalidTopicError."""
    topic = collapse_spaces(text).lower()[:MAX_TOPIC_LENGTH].rstrip()
    if not topic:
        raise InvalidTopicError("a topic needs at least one letter or digit")
    return topic


def topic_match_expression(topics: Iterable[str]) -> str | None:
    """An FTS5 query matching any of ``topics``, each as a literal phrase; None if none has words.

    Every word is quoted by us, so topic text can never act as FTS syntax.
    """
    phrases = dict.fromkeys(phrase for topic in topics if (phrase := fts_phrase(topic)))
    return " OR ".join(phrases) or None
