"""Sentences from Punkt models, words from NLTK's Treebank tokenizer: no NLTK data needed."""

from __future__ import annotations

import re
from functools import cache

import punkt
from nltk.tokenize import TreebankWordTokenizer

# Same notion of a word as Sumy's own tokenizer: letters, then letters, apostrophes or hyphens.
_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’-])*$")
_TREEBANK = TreebankWordTokenizer()


@cache
def _sentence_splitter(language: str) -> punkt.PunktSentenceTokenizer:
    # The bundled models miss titles news is full of ("supported Gov. Mike Pence"); the
    # package's non-breaking prefix lists only ever join, never invent a break.
    model = punkt.with_nonbreaking_prefixes(punkt.load_model(language), language)
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
