"""Gist: what the whole article is about, by centrality and coverage, with no position prior."""

from __future__ import annotations

import numpy as np

from summaries.algorithms.base import Summarizer, complete_ranking
from summaries.algorithms.graph import (
    cosine_similarities,
    max_marginal_relevance,
    personalized_pagerank,
    tfidf_vectors,
)
from summaries.document import Article

_RANKED = 20


class GistSummarizer(Summarizer):
    """Continuous LexRank centrality, title similarity, and MMR against repetition."""

    def __init__(self, redundancy: float = 0.5, title_weight: float = 1.0) -> None:
        self._redundancy = redundancy
        self._title_weight = title_weight

    def __call__(self, article: Article) -> list[int]:
        """MMR over centrality scores, best first."""
        count = len(article.sentences)
        if count < 2:
            return list(range(count))
        vectors = tfidf_vectors(article.content_stems, article.title_stems)
        similarities = cosine_similarities(vectors[:count])
        scores = personalized_pagerank(similarities, np.full(count, 1.0 / count))
        relevance = scores / scores.max()
        if article.title_stems:
            relevance = relevance + self._title_weight * (vectors[:count] @ vectors[count])
        ranked = max_marginal_relevance(relevance, similarities, self._redundancy, _RANKED)
        rest = np.argsort(-relevance, kind="stable")
        return complete_ranking([*ranked, *rest.tolist()], count)
