"""Storage refuses a topic with a code and values; the bot words every code for every reader."""

from __future__ import annotations

import string

import pytest
from babel.messages.extract import extract_from_dir

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from bot.topic_errors import TOPIC_ERROR_TEXTS, topic_error_text
from storage import InvalidTopicError, TopicErrorCode
from storage.topic_expressions import MAX_TERMS, parse_expression
from storage.topics import MAX_TOPIC_LENGTH, canonical_topic
from tests.bot.test_i18n import KEYWORDS, ROOT

TRANSLATED = sorted(set(LANGUAGES) - {DEFAULT_LANGUAGE})


def test_every_storage_error_code_has_a_wording_in_the_bot() -> None:
    assert set(TOPIC_ERROR_TEXTS) == set(TopicErrorCode)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_wording_is_translated(language: str) -> None:
    untranslated = [
        code
        for code, text in TOPIC_ERROR_TEXTS.items()
        if translator(language).gettext(text) == text
    ]
    assert untranslated == []


def test_storage_holds_no_words_for_readers() -> None:
    # The catalogues are extracted from bot/ alone: storage neither marks a text for
    # translation nor raises its reader-facing error with an English text.
    keywords = {**KEYWORDS, "InvalidTopicError": None}
    found = [message for _, _, message, *_ in extract_from_dir(ROOT / "storage", keywords=keywords)]
    assert found == []


def test_a_wording_is_filled_with_the_values_storage_gave() -> None:
    with pytest.raises(InvalidTopicError) as refused:
        parse_expression("a b c d e f g h i")
    assert refused.value.values == {"limit": MAX_TERMS, "count": 9}
    assert topic_error_text(refused.value, translator("en")) == (
        f"Use at most {MAX_TERMS} words or phrases in one topic (this one has 9)."
    )


def test_a_reader_reads_the_refusal_in_their_language() -> None:
    with pytest.raises(InvalidTopicError) as refused:
        canonical_topic("x" * 100, strict=True)
    assert topic_error_text(refused.value, translator("en")) == (
        f"That topic is 100 characters long; keep it to {MAX_TOPIC_LENGTH}."
    )
    german = topic_error_text(refused.value, translator("de"))
    assert "100" in german and str(MAX_TOPIC_LENGTH) in german
    assert german != topic_error_text(refused.value, translator("en"))


@pytest.mark.parametrize("code", list(TopicErrorCode))
def test_each_wording_names_only_values_storage_can_give(code: TopicErrorCode) -> None:
    fields = {name for _, name, _, _ in string.Formatter().parse(TOPIC_ERROR_TEXTS[code]) if name}
    # The values each code is raised with, as listed beside it in storage/errors.py.
    raised_with = {
        TopicErrorCode.TOPIC_TOO_LONG: {"length", "limit"},
        TopicErrorCode.MUTED_WORD_TOO_LONG: {"length", "limit"},
        TopicErrorCode.TOO_MANY_TOPICS: {"limit"},
        TopicErrorCode.TOO_MANY_MUTED_WORDS: {"limit"},
        TopicErrorCode.TOPIC_TOO_BROAD: {"topic"},
        TopicErrorCode.MUTED_WORD_TOO_COMMON: {"word"},
        TopicErrorCode.TOO_MANY_TERMS: {"limit", "count"},
    }
    assert fields == raised_with.get(code, set())
