"""Random: Sumy's random baseline, seeded from the text so an article always gets the same."""

from __future__ import annotations

import random
import zlib
from typing import Any

from sumy.summarizers.random import RandomSummarizer

from summaries.algorithms.base import SentenceRanker, complete_ranking
from summaries.document import Article


class _SeededRandomSummarizer(RandomSummarizer):  # type: ignore[misc]
    def __init__(self, seed: int) -> None:
        super().__init__()
        self._random = random.Random(seed)

    def _get_random_ratings(self, sentences: Any) -> dict[Any, int]:
        ratings = list(range(len(sentences)))
        self._random.shuffle(ratings)
        return dict(zip(sentences, ratings, strict=True))


class RandomRanker(SentenceRanker):
    """A random order that depends only on the article's sentences."""

    def __call__(self, article: Article) -> list[int]:
        """A shuffled ranking, the same on every run."""
        seed = zlib.crc32("\n".join(article.sentences).encode("utf-8"))
        captured: list[Any] = []

        def keep_all(rated: Any) -> Any:
            captured.extend(rated)
            return rated

        _SeededRandomSummarizer(seed)(article.sumy_document, keep_all)
        return complete_ranking((info.order for info in captured), len(article.sentences))
