"""Edmundson's cue, title and location method with cue words that suit news reporting."""

from __future__ import annotations

from typing import Any

from sumy.summarizers.edmundson import EdmundsonSummarizer

from summaries.algorithms.sumy_adapter import SumyRanker
from summaries.languages import stemmer, stop_words

# Bonus words mark the reporting of an event (who said what, what happened, with what toll);
# stigma words mark opinion, hedging, first and second person, and page furniture.
NEWS_BONUS_WORDS = frozenset(
    {
        "said",
        "says",
        "announced",
        "reported",
        "according",
        "officials",
        "confirmed",
        "police",
        "government",
        "president",
        "minister",
        "killed",
        "died",
        "injured",
        "arrested",
        "charged",
        "found",
        "million",
        "billion",
        "percent",
        "first",
        "new",
        "agreed",
        "decided",
        "approved",
        "launched",
        "won",
        "lost",
        "rose",
        "fell",
    }
)
NEWS_STIGMA_WORDS = frozenset(
    {
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "think",
        "perhaps",
        "maybe",
        "might",
        "seems",
        "hopefully",
        "really",
        "very",
        "click",
        "subscribe",
        "newsletter",
        "photo",
        "pictured",
        "video",
        "watch",
        "comment",
        "comments",
        "share",
        "follow",
    }
)
# Cue words are English; elsewhere Edmundson runs on title and location alone.
_CUE_LANGUAGES = frozenset({"english"})


def _build(language: str) -> Any:
    has_cues = language in _CUE_LANGUAGES
    summarizer = EdmundsonSummarizer(
        stemmer(language), cue_weight=1.0 if has_cues else 0.0, key_weight=0.0
    )
    summarizer.null_words = stop_words(language)
    if has_cues:
        summarizer.bonus_words = NEWS_BONUS_WORDS
        summarizer.stigma_words = NEWS_STIGMA_WORDS
    return summarizer


class EdmundsonRanker(SumyRanker):
    """Sumy's Edmundson summariser set up for news."""

    def __init__(self) -> None:
        super().__init__(_build)
