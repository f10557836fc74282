"""What every summariser is: a callable that ranks an article's sentences, best first."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable

from summaries.document import Article


class SentenceRanker(ABC):
    """Ranks sentences; length controls then take from the top of the ranking."""

    @abstractmethod
    def __call__(self, article: Article) -> list[int]:
        """Indices of ``article.sentences``, best first, each exactly once."""


def complete_ranking(ranked: Iterable[int], count: int) -> list[int]:
    """``ranked`` without repeats, followed by any missing indices in article order."""
    seen: dict[int, None] = dict.fromkeys(index for index in ranked if 0 <= index < count)
    seen.update(dict.fromkeys(range(count)))
    return list(seen)
