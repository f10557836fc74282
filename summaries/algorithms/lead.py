"""Lead: the article's own order, the classic hard baseline for news."""

from __future__ import annotations

from summaries.algorithms.base import SentenceRanker
from summaries.document import Article


class LeadSummarizer(SentenceRanker):
    """The first sentences after clean-up."""

    def __call__(self, article: Article) -> list[int]:
        """Article order."""
        return list(range(len(article.sentences)))
