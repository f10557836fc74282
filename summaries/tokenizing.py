"""Sentences from Punkt models, words from NLTK's Treebank tokenizer: no NLTK data needed."""

from __future__ import annotations

import copy
import re
from functools import cache

import punkt
from nltk.tokenize import TreebankWordTokenizer

# Same notion of a word as Sumy's own tokenizer: letters, then letters, apostrophes or hyphens.
_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’-])*$")
_TREEBANK = TreebankWordTokenizer()


# Ukrainian has no Punkt model. The Russian one splits Cyrillic text well (its initials rule
# keeps "В. Зеленський" together) once it knows the abbreviations Ukrainian news uses.
_BORROWED_MODELS = {"ukrainian": "russian"}
# Only those that rarely end a sentence ("2027 р." and "5 млн грн." often do).
_UKRAINIAN_ABBREVIATIONS = """
    ст вул просп пл м с смт обл р-н т.зв пп проф акад доц д-р ім напр зокр див рис табл
"""
# Russian abbreviations that end Ukrainian sentences as units and amounts.
_UKRAINIAN_SENTENCE_ENDS = """р грн млн млрд тис дол т.д т.п"""


@cache
def _sentence_splitter(language: str) -> punkt.PunktSentenceTokenizer:
    model = punkt.load_model(_BORROWED_MODELS.get(language, language))
    if language in punkt.available_languages():
        # The bundled models miss titles news is full of ("supported Gov. Mike Pence"); the
        # package's non-breaking prefix lists only ever join, never invent a break.
        model = punkt.with_nonbreaking_prefixes(model, language)
    if language == "ukrainian":
        # load_model shares one object per model: the Russian splitter must not see these.
        model = copy.deepcopy(model)
        model.abbrev_types.update(_UKRAINIAN_ABBREVIATIONS.split())
        model.abbrev_types.difference_update(_UKRAINIAN_SENTENCE_ENDS.split())
    return punkt.PunktSentenceTokenizer(model)


class NewsTokenizer:
    """The tokenizer Sumy's parsers and summarisers expect, built only on bundled models."""

    def __init__(self, language: str) -> None:
        self._language = language
        self._splitter = _sentence_splitter(language)

    @property
    def language(self) -> str:
        """The language name, as Sumy's tokenizers report it."""
        return self._language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Split a paragraph into sentences."""
        sentences = self._splitter.tokenize(paragraph)
        return tuple(stripped for sentence in sentences if (stripped := sentence.strip()))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Split a sentence into words, dropping punctuation and numbers."""
        return tuple(word for word in _TREEBANK.tokenize(sentence) if _WORD.match(word))
