"""An article ready for ranking: cleaned, split into sentences, tokenised, and as a Sumy DOM."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

from summaries.cleanup import clean_sentences, clean_text, tidy
from summaries.languages import stemmer, stop_words
from summaries.markup import to_plain_text
from summaries.segmentation import Segment, segment
from summaries.tokenizing import NewsTokenizer

# A news story rarely runs past 20,000 characters or 150 sentences; a megabyte of input is a
# scraping accident. Capping work keeps the quadratic rankers (text-rank, reduction) fast.
MAX_INPUT_CHARS = 60_000
MAX_SENTENCES = 150
_TERMINAL = tuple(".!?:;\"'”’»)…")
_TITLE_WORD = re.compile(r"[^\W_]+")
# A heading or standfirst with at least this share of its words in the title repeats it.
_TITLE_OVERLAP = 0.6


@dataclass(frozen=True)
class Article:
    """The candidate sentences of one article, in article order, with their tokens."""

    sentences: tuple[str, ...]
    language: str
    title: str | None
    tokenizer: NewsTokenizer = field(repr=False, compare=False)
    # Per sentence: it leans on the sentence before it, so it needs that one in a summary too.
    dependent: tuple[bool, ...] = ()

    @cached_property
    def words(self) -> tuple[tuple[str, ...], ...]:
        """The words of each sentence as Sumy sees them."""
        return tuple(self.tokenizer.to_words(sentence) for sentence in self.sentences)

    @cached_property
    def content_stems(self) -> tuple[tuple[str, ...], ...]:
        """Stemmed, lower-cased words of each sentence without stop words."""
        return tuple(self.stems_of(words) for words in self.words)

    @cached_property
    def title_stems(self) -> tuple[str, ...]:
        """Content stems of the title, empty when there is none."""
        return self.stems_of(self.tokenizer.to_words(self.title)) if self.title else ()

    def stems_of(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """Stems of the words that are not stop words."""
        ignored = stop_words(self.language)
        stem = stemmer(self.language)
        lowered = (word.lower() for word in words)
        return tuple(stem(word) for word in lowered if word not in ignored)

    @cached_property
    def sumy_document(self) -> ObjectDocumentModel:
        """The same sentences as Sumy's document model, with the title as its heading."""
        heading = [Sentence(self.title, self.tokenizer, is_heading=True)] if self.title else []
        body = [Sentence(sentence, self.tokenizer) for sentence in self.sentences]
        return ObjectDocumentModel([Paragraph(heading + body)])


def _truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit]


def paragraphs(text: str) -> list[str]:
    """Lines of ``text`` as paragraphs, re-joining lines that were hard-wrapped mid-sentence."""
    merged: list[str] = []
    for line in (line.strip() for line in text.split("\n")):
        if not line:
            continue
        if merged and not merged[-1].endswith(_TERMINAL) and line[0].islower():
            merged[-1] = f"{merged[-1]} {line}"
        else:
            merged.append(line)
    return merged


def _repeats_title(sentence: str, title_words: set[str]) -> bool:
    words = set(_TITLE_WORD.findall(sentence.casefold()))
    return bool(words) and len(words & title_words) >= _TITLE_OVERLAP * len(words)


def _candidates(segments: list[Segment], kept: list[int], title: str) -> list[int]:
    """The kept segments a summary may use, best-formed first choice, with fallbacks.

    Headings and standfirsts that repeat the title never; other blocks without sentence
    punctuation and sentences ending inside an open quotation only when nothing else is left.
    """
    title_words = set(_TITLE_WORD.findall(title.casefold()))
    not_title = [
        index
        for index in kept
        if not (
            segments[index].unpunctuated_block and _repeats_title(segments[index].text, title_words)
        )
    ]
    whole = [
        index
        for index in not_title
        if not segments[index].unpunctuated_block and not segments[index].open_quote
    ]
    return whole or not_title or kept


def build_article(text: str, language: str, title: str | None = None) -> Article:
    """Clean ``text`` and split it into candidate sentences."""
    tokenizer = NewsTokenizer(language)
    plain = clean_text(to_plain_text(_truncate(text, MAX_INPUT_CHARS)))
    segments = [
        replace(found, text=tidied)
        for found in segment(paragraphs(plain), tokenizer.to_sentences)
        if (tidied := tidy(found.text))
    ]
    clean_title = to_plain_text(title).strip() if title else ""
    kept = clean_sentences([found.text for found in segments])
    chosen = _candidates(segments, kept, clean_title)[:MAX_SENTENCES]
    return Article(
        sentences=tuple(segments[index].text for index in chosen),
        language=language,
        title=clean_title or None,
        tokenizer=tokenizer,
        dependent=tuple(segments[index].dependent for index in chosen),
    )
