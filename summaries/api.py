"""Public entry points of the summaries package (contract; implementation pending)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_ALGORITHM = "news"
ALGORITHMS: tuple[str, ...] = (
    "news",
    "gist",
    "lead",
    "luhn",
    "edmundson",
    "lsa",
    "lex-rank",
    "text-rank",
    "sum-basic",
    "kl",
    "reduction",
    "random",
)
SUPPORTED_LANGUAGES: tuple[str, ...] = ("english",)


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


def detect_language(text: str) -> str:
    """Guess the language of ``text`` offline; returns a name from SUPPORTED_LANGUAGES."""
    raise NotImplementedError


def summarize(
    text: str,
    *,
    algorithm: str = DEFAULT_ALGORITHM,
    sentences: int | None = 3,
    max_chars: int | None = None,
    language: str | None = None,
    title: str | None = None,
) -> Summary:
    """Summarise ``text`` into at most ``sentences`` sentences or ``max_chars`` characters."""
    raise NotImplementedError
