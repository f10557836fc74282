"""Topics: normalisation and the full-text expressions that match them."""

from __future__ import annotations

from collections.abc import Iterable

from storage.errors import InvalidTopicError, TopicErrorCode
from storage.text import collapse_spaces, fts_phrase, words
from storage.topic_expressions import is_expression, parse_expression

# Long enough for any real topic or phrase; a longer one is refused with this limit in the
# reply, never cut short silently.
MAX_TOPIC_LENGTH = 64


def normalize_topic(text: str) -> str:
    """Trim, lower-case and collapse whitespace; at most 64 characters. Raises InvalidTopicError."""
    topic = collapse_spaces(text).lower()[:MAX_TOPIC_LENGTH].rstrip()
    if not topic:
        raise InvalidTopicError(TopicErrorCode.NO_WORDS)
    return topic


def canonical_topic(text: str, *, strict: bool = False) -> str:
    """The stored form of a topic: normalised, with an expression's OR and AND kept capitalised.

    With ``strict`` an unreadable expression or an over-long topic raises InvalidTopicError
    (what a reader's /subscribe wants); otherwise it is kept as a plain topic
    cut to length, so stored data and programmatic callers never fail here. Raises
    InvalidTopicError for an empty topic.
    """
    text = collapse_spaces(text)
    if strict and len(text) > MAX_TOPIC_LENGTH and not is_expression(text):
        raise InvalidTopicError(
            TopicErrorCode.TOPIC_TOO_LONG,
            length=len(text),
            limit=MAX_TOPIC_LENGTH,
        )
    if is_expression(text):
        try:
            parse_expression(text)
        except InvalidTopicError:
            if strict:
                raise
            return normalize_topic(text)
        stored = " ".join(
            token if token in ("OR", "AND") else token.lower() for token in text.split(" ")
        )
        if len(stored) <= MAX_TOPIC_LENGTH:
            return stored
        if strict:
            raise InvalidTopicError(
                TopicErrorCode.TOPIC_TOO_LONG,
                length=len(stored),
                limit=MAX_TOPIC_LENGTH,
            )
    return normalize_topic(text)


def topic_query(topic: str) -> str | None:
    """The FTS5 query for one stored topic; None when it has no words to match."""
    if is_expression(topic):
        try:
            return parse_expression(topic).fts_query()
        except InvalidTopicError:
            pass  # stored before expressions existed, or by a lenient caller: a plain phrase
    return fts_phrase(topic)


def topic_match_expression(topics: Iterable[str]) -> str | None:
    """An FTS5 query matching any of ``topics``; None if none has words.

    A plain topic is a literal phrase, an expression its own parenthesised query; every word is
    quoted by us, so topic text can never act as FTS syntax.
    """
    queries: dict[str, None] = {}
    for topic in topics:
        query = topic_query(topic)
        if query is None:
            continue
        # A single phrase needs no brackets; keeping plain topics' query as it always was.
        is_phrase = query.startswith('"') and query.count('"') == 2 and query.endswith('"')
        queries[query if is_phrase else f"({query})"] = None
    return " OR ".join(queries) or None


def topic_clauses(topic: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The words a stored topic looks for: clauses joined by AND, each a choice of word lists."""
    if is_expression(topic):
        try:
            return parse_expression(topic).clauses
        except InvalidTopicError:
            pass  # matched as a plain phrase, as topic_query does
    return ((tuple(words(topic)),),)
