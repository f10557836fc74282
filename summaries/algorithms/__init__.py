"""Summarisers by name: each ranks an article's sentences, best first."""

from __future__ import annotations

from collections.abc import Callable

from summaries.algorithms.base import SentenceRanker
from summaries.algorithms.edmundson import EdmundsonRanker
from summaries.algorithms.gist import GistSummarizer
from summaries.algorithms.lead import LeadSummarizer
from summaries.algorithms.news import NewsSummarizer
from summaries.algorithms.random_order import RandomRanker
from summaries.algorithms.sumy_adapter import SUMY_SUMMARIZERS, SumyRanker

_FACTORIES: dict[str, Callable[[], SentenceRanker]] = {
    "news": NewsSummarizer,
    "gist": GistSummarizer,
    "lead": LeadSummarizer,
    "luhn": lambda: SumyRanker(SUMY_SUMMARIZERS["luhn"]),
    "edmundson": EdmundsonRanker,
    "lsa": lambda: SumyRanker(SUMY_SUMMARIZERS["lsa"]),
    "lex-rank": lambda: SumyRanker(SUMY_SUMMARIZERS["lex-rank"]),
    "text-rank": lambda: SumyRanker(SUMY_SUMMARIZERS["text-rank"]),
    "sum-basic": lambda: SumyRanker(SUMY_SUMMARIZERS["sum-basic"]),
    "kl": lambda: SumyRanker(SUMY_SUMMARIZERS["kl"]),
    "reduction": lambda: SumyRanker(SUMY_SUMMARIZERS["reduction"]),
    "random": RandomRanker,
}

NAMES: tuple[str, ...] = tuple(_FACTORIES)


def get_summarizer(name: str) -> SentenceRanker | None:
    """A fresh summariser for ``name``, or None when there is no such algorithm."""
    factory = _FACTORIES.get(name)
    return factory() if factory else None


__all__ = ["NAMES", "SentenceRanker", "get_summarizer"]
