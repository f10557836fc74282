"""Sumy's summarisers, asked for a full ranking instead of a fixed number of sentences."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.reduction import ReductionSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from summaries.algorithms.base import SentenceRanker, complete_ranking
from summaries.document import Article
from summaries.languages import stemmer, stop_words

SumyFactory = Callable[[str], Any]


def with_stop_words(summarizer_class: type[Any]) -> SumyFactory:
    """A factory for a Sumy summariser with the language's stemmer and stop words."""

    def build(language: str) -> Any:
        summarizer = summarizer_class(stemmer(language))
        summarizer.stop_words = stop_words(language)
        return summarizer

    return build


class SumyRanker(SentenceRanker):
    """Runs a Sumy summariser and keeps its whole rating order."""

    def __init__(self, factory: SumyFactory) -> None:
        self._factory = factory

    def __call__(self, article: Article) -> list[int]:
        """Sumy's ranking, best first; unrated sentences follow in article order."""
        captured: list[Any] = []

        # Sumy accepts a callable as the sentence count and applies it to the rated sentences,
        # sorted best first; keeping them all gives the ranking the character budget needs.
        def keep_all(rated: Sequence[Any]) -> Sequence[Any]:
            captured.extend(rated)
            return rated

        if len(article.sentences) > 1:
            summarizer = self._factory(article.language)
            with warnings.catch_warnings():
                # LSA warns when an article has fewer sentences than its dimensions.
                warnings.simplefilter("ignore")
                summarizer(article.sumy_document, keep_all)
        return complete_ranking((info.order for info in captured), len(article.sentences))


SUMY_SUMMARIZERS: dict[str, SumyFactory] = {
    "luhn": with_stop_words(LuhnSummarizer),
    "lsa": with_stop_words(LsaSummarizer),
    "lex-rank": with_stop_words(LexRankSummarizer),
    "text-rank": with_stop_words(TextRankSummarizer),
    "sum-basic": with_stop_words(SumBasicSummarizer),
    "kl": with_stop_words(KLSummarizer),
    "reduction": with_stop_words(ReductionSummarizer),
}
