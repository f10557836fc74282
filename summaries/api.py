"""Public entry points of the summaries package."""

from __future__ import annotations

from dataclasses import dataclass

from summaries.algorithms import NAMES, get_summarizer
from summaries.detection import detect_language
from summaries.document import build_article
from summaries.errors import InvalidLengthError, UnknownAlgorithmError
from summaries.languages import SUPPORTED_LANGUAGES, language_name
from summaries.selection import select

DEFAULT_ALGORITHM = "news"
ALGORITHMS: tuple[str, ...] = NAMES

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "SUPPORTED_LANGUAGES",
    "Summary",
    "detect_language",
    "summarize",
]


@dataclass(frozen=True, slots=True)
class Summary:
    """The chosen sentences, in article order."""

    sentences: tuple[str, ...]
    language: str
    algorithm: str

    @property
    def text(self) -> str:
        """The sentences joined with single spaces."""
        return " ".join(self.sentences)


def summarize(
    text: str,
    *,
    algorithm: str = DEFAULT_ALGORITHM,
    sentences: int | None = 3,
    max_chars: int | None = None,
    language: str | None = None,
    title: str | None = None,
) -> Summary:
    """Summarise ``text`` into at most ``sentences`` sentences and ``max_chars`` characters.

    Both limits apply when both are given; pass ``sentences=None`` for a budget in characters
    alone. Empty or all-boilerplate text gives an empty summary.
    """
    if sentences is not None and sentences < 1:
        raise InvalidLengthError(f"sentences must be at least 1, got {sentences}")
    if max_chars is not None and max_chars < 1:
        raise InvalidLengthError(f"max_chars must be at least 1, got {max_chars}")
    summarizer = get_summarizer(algorithm)
    if summarizer is None:
        raise UnknownAlgorithmError(
            f"unknown algorithm {algorithm!r}; choose one of: {', '.join(ALGORITHMS)}"
        )
    name = language_name(language) if language else detect_language(text)
    article = build_article(text, name, title)
    ranking = summarizer(article) if article.sentences else []
    chosen = select(
        article.sentences,
        ranking,
        count=sentences,
        max_chars=max_chars,
        dependent=article.dependent,
    )
    return Summary(sentences=chosen, language=name, algorithm=algorithm)
