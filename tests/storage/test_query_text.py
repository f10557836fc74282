"""User text reaches FTS5 only as quoted words: no input can be read as query syntax."""

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.errors import InvalidTopicError
from storage.text import fts_all_words, fts_any_word, fts_phrase
from storage.topics import normalize_topic, topic_match_expression

INDEX = sqlite3.connect(":memory:")
INDEX.execute(
    "CREATE VIRTUAL TABLE t USING fts5 (body, tokenize = 'porter unicode61 remove_diacritics 2')"
)
INDEX.execute("INSERT INTO t (body) VALUES ('Climate change talks in Kyiv and Zürich')")

SYNTAX = st.sampled_from(['"', "'", "*", "^", ":", "(", ")", "-", "+", "AND", "OR", "NOT", "NEAR"])
TEXT = st.lists(st.one_of(st.text(max_size=12), SYNTAX), max_size=8).map(" ".join)


def matches(expression: str | None) -> int:
    if expression is None:
        return 0
    return len(INDEX.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall())


@given(TEXT)
def test_any_query_or_topic_text_is_a_valid_fts_expression(text: str) -> None:
    for expression in (fts_phrase(text), fts_all_words(text), fts_any_word(text)):
        matches(expression)
    try:
        topic = normalize_topic(text)
    except InvalidTopicError:
        return
    matches(topic_match_expression([topic]))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('"climate change"', 1),
        ("climate OR nothing", 0),
        ("change* NOT", 1),
        ("zurich", 1),
        ("talk", 1),
        ("kyiv NEAR(climate)", 0),
    ],
)
def test_operators_are_plain_words(text: str, found: int) -> None:
    assert matches(fts_all_words(text)) == found
