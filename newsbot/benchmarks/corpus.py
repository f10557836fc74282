"""The news the benchmarks store: a file given with ``--data``, or one generated from the package.

Without ``--data`` nothing outside the package is read. The generator starts from the demo news
shipped for ``newsbot demo`` (newsbot/demo_data) and swaps most of their longer words for words
drawn from a Zipf-distributed vocabulary of made-up words. Search and topic matching then do
the work they do on real news (a few words in every article, a long tail of rare ones, about
as many distinct words as a year of a news site) instead of finding the demo's 600 words in
every row. The same seed gives the same corpus.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = [
    "BenchDataError",
    "Corpus",
    "add_data_argument",
    "generated_corpus",
    "load_corpus",
    "write_jsonl",
]

TOPICS = ("business", "politics", "sport", "tech", "entertainment", "science", "world")
VOCABULARY_SIZE = 50_000
SENTENCES = 10_000
# Word frequencies in news fall off roughly as 1/rank (Zipf); the offset flattens the head, which
# the templates' short words already fill, so no made-up word is in every article.
_ZIPF_EXPONENT = 1.05
_ZIPF_OFFSET = 20
_SWAP_SHARE = 0.6
_SYLLABLES = tuple(
    consonant + vowel
    for consonant in ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z")
    for vowel in ("a", "e", "i", "o", "u")
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z]{5,}")


class BenchDataError(Exception):
    """The ``--data`` file cannot be read or holds no article to benchmark on."""


@dataclass(frozen=True, slots=True)
class Article:
    """What a benchmark needs of an article."""

    title: str
    text: str
    topic: str | None = None

    def as_json(self, number: int) -> str:
        """One JSON Lines record, as ``newsbot ingest`` reads it."""
        return json.dumps(
            {
                "title": self.title,
                "text": self.text,
                "url": f"https://bench.example/{number}",
                "published": f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}T12:00:00Z",
                "source": f"Source {number % 40}",
                "topic": self.topic,
            }
        )


@dataclass(frozen=True, slots=True)
class Corpus:
    """Articles, plus the titles and sentences synthetic articles are spliced from."""

    articles: tuple[Article, ...]
    titles: tuple[str, ...]
    sentences: tuple[str, ...]
    path: Path | None = None

    @property
    def name(self) -> str:
        """How reports name it."""
        return str(self.path) if self.path else "generated"


def add_data_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--data FILE`` option every benchmark that stores news takes."""
    parser.add_argument(
        "--data",
        type=Path,
        metavar="FILE",
        help="news to measure with, in any format newsbot ingest reads, e.g. "
        "../shared/data/bbc-news-summary.jsonl.gz (default: articles generated from the "
        "demo news inside the package)",
    )


def load_corpus(path: Path | None, *, articles: int, seed: int) -> Corpus:
    """The articles of ``path``, or ``articles`` generated ones when it is None."""
    if path is None:
        return generated_corpus(articles, random.Random(seed))
    from storage import IngestError
    from storage.ingest.records import ArticleRecord, BadRecord
    from storage.ingest.sources import open_file

    try:
        records = list(open_file(path).records)
    except IngestError as error:
        raise BenchDataError(str(error)) from error
    bad = next((record for record in records if isinstance(record, BadRecord)), None)
    if bad is not None:
        raise BenchDataError(bad.describe())
    read = tuple(
        Article(record.title, record.text, next(iter(record.categories), None))
        for record in records
        if isinstance(record, ArticleRecord) and record.title and record.text
    )
    if not read:
        raise BenchDataError(f"{path}: no article with a title and a text to measure with")
    return Corpus(
        read,
        tuple(article.title for article in read),
        tuple(sentence for article in read for sentence in _sentences(article.text)),
        path,
    )


def generated_corpus(count: int, rng: random.Random) -> Corpus:
    """``count`` articles written from the demo news with a Zipf-distributed vocabulary."""
    demo_texts, demo_titles = _demo_news()
    words = _Vocabulary(rng)
    templates = [sentence for text in demo_texts for sentence in _sentences(text)]
    sentences = tuple(words.rewrite(rng.choice(templates)) for _ in range(SENTENCES))
    titles = tuple(words.rewrite(rng.choice(demo_titles)) for _ in range(max(count, 1000)))
    articles = tuple(
        Article(
            titles[number],
            "\n\n".join(
                " ".join(rng.choices(sentences, k=rng.randint(2, 4)))
                for _ in range(rng.randint(3, 6))
            ),
            rng.choice(TOPICS),
        )
        for number in range(count)
    )
    return Corpus(articles, titles, sentences)


def write_jsonl(articles: Iterable[Article], path: Path) -> int:
    """Write ``articles`` as JSON Lines; returns how many."""
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for number, article in enumerate(articles):
            out.write(article.as_json(number) + "\n")
            written += 1
    return written


class _Vocabulary:
    """Made-up words drawn by rank with Zipf's law, swapped in for the templates' longer words."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._words = _made_up_words(rng, VOCABULARY_SIZE)
        self._cumulative = list(
            itertools.accumulate(
                1.0 / (rank + _ZIPF_OFFSET) ** _ZIPF_EXPONENT
                for rank in range(1, VOCABULARY_SIZE + 1)
            )
        )

    def rewrite(self, template: str) -> str:
        """The template with most of its words of five letters or more replaced."""
        return _WORD.sub(self._swap, template)

    def _swap(self, match: re.Match[str]) -> str:
        original = match.group()
        if self._rng.random() >= _SWAP_SHARE:
            return original
        [word] = self._rng.choices(self._words, cum_weights=self._cumulative)
        return word.capitalize() if original[0].isupper() else word


def _made_up_words(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct pronounceable words of two to four syllables."""
    words: dict[str, None] = {}
    while len(words) < count:
        words["".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4)))] = None
    return list(words)


def _demo_news() -> tuple[list[str], list[str]]:
    """The demo articles' texts, and every demo title (articles' and bare headlines')."""
    from newsbot.demo import DEMO_FILES
    from storage.ingest.records import ArticleRecord, HeadlineRecord
    from storage.ingest.sources import open_file

    texts: list[str] = []
    titles: list[str] = []
    data = resources.files("newsbot.demo_data")
    for name in DEMO_FILES:
        with resources.as_file(data / name) as path:
            for record in open_file(Path(path)).records:
                if isinstance(record, ArticleRecord):
                    texts.append(record.text)
                if isinstance(record, ArticleRecord | HeadlineRecord) and record.title:
                    titles.append(record.title)
    return texts, titles


def _sentences(text: str) -> list[str]:
    return [sentence.strip() for sentence in _SENTENCE_END.split(text) if sentence.strip()]
