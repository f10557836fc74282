"""Offline language detection from stop-word profiles."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from summaries.errors import UnsupportedLanguageError
from summaries.languages import SUPPORTED_LANGUAGES, stop_words
from summaries.markup import to_plain_text

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Enough words to tell a language apart; more only costs time.
_SAMPLE_WORDS = 2000
# Below this many weighted stop-word hits the text is too short to judge, so we fall back.
_MIN_EVIDENCE = 2.0
# With plenty of words but fewer than this share of stop words, the text is in another language.
_MIN_SHARE = 0.08
_MIN_WORDS_TO_REJECT = 20
FALLBACK_LANGUAGE = "english"


@cache
def _weights() -> dict[str, dict[str, float]]:
    # A stop word shared by several languages ("a", "de", "la") says less about any one of them.
    owners = Counter(word for language in SUPPORTED_LANGUAGES for word in stop_words(language))
    return {
        language: {word: 1.0 / owners[word] for word in stop_words(language)}
        for language in SUPPORTED_LANGUAGES
    }


_EAST_SLAVIC = ("russian", "ukrainian")
# Letters only one of the two writes: і ї є ґ are Ukrainian, ы э ъ ё Russian.
_UKRAINIAN_LETTERS = re.compile(r"[іїєґ]", re.IGNORECASE)
_RUSSIAN_LETTERS = re.compile(r"[ыэъё]", re.IGNORECASE)


def _mostly_cyrillic(words: list[str]) -> bool:
    letters = "".join(words)
    cyrillic = sum(1 for letter in letters if "\u0400" <= letter <= "\u04ff")
    return bool(letters) and cyrillic > len(letters) / 2


def _east_slavic(text: str, scores: dict[str, float]) -> str:
    """Russian or Ukrainian: their alphabets tell them apart better than shared stop words."""
    ukrainian = len(_UKRAINIAN_LETTERS.findall(text))
    russian = len(_RUSSIAN_LETTERS.findall(text))
    if ukrainian != russian:
        return "ukrainian" if ukrainian > russian else "russian"
    return max(_EAST_SLAVIC, key=lambda language: scores[language])


def detect_language(text: str) -> str:
    """The supported language whose stop words the text uses most.

    Too little text to judge gives English; a long text with almost no stop words of any
    supported language raises UnsupportedLanguageError.
    """
    # Markup is not language: a page's scripts and tag names would drown its prose.
    words = [word.lower() for word in _WORD.findall(to_plain_text(text[:50_000]))]
    words = words[:_SAMPLE_WORDS]
    counts = Counter(words)
    scores = {
        language: sum(weights.get(word, 0.0) * seen for word, seen in counts.items())
        for language, weights in _weights().items()
    }
    if _mostly_cyrillic(words):
        # Stop words shared by both say little; the alphabet says which one it is.
        return _east_slavic(text[:50_000], scores)
    best = max(SUPPORTED_LANGUAGES, key=lambda language: scores[language])
    if scores[best] >= _MIN_EVIDENCE:
        hits = sum(seen for word, seen in counts.items() if word in stop_words(best))
        if len(words) < _MIN_WORDS_TO_REJECT or hits / len(words) >= _MIN_SHARE:
            return best
    if len(words) >= _MIN_WORDS_TO_REJECT:
        raise UnsupportedLanguageError(
            "could not recognise the language of the text; supported: "
            + ", ".join(SUPPORTED_LANGUAGES)
        )
    return FALLBACK_LANGUAGE
