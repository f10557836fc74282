"""News: lead-biased centrality with title awareness and redundancy control (the default)."""

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

# How many sentences MMR orders; the rest follow by score. Summaries never need more.
_RANKED = 20


class NewsSummarizer(Summarizer):
    """Centrality on the sentence graph, with random jumps that favour the start of the story."""

    def __init__(self, redundancy: float = 0.5, title_weight: float = 1.0) -> None:
        self._redundancy = redundancy
        self._title_weight = title_weight

    def __call__(self, article: Article) -> list[int]:
        """MMR over lead-biased PageRank scores, best first."""
        count = len(article.sentences)
        if count < 2:
            return list(range(count))
        vectors = tfidf_vectors(article.content_stems, article.title_stems)
        similarities = cosine_similarities(vectors[:count])
        prior = 1.0 / np.arange(1.0, count + 1.0)
        prior /= prior.sum()
        scores = personalized_pagerank(similarities, prior)
        relevance = scores / scores.max()
        if article.title_stems:
            relevance = relevance + self._title_weight * (vectors[:count] @ vectors[count])
        ranked = max_marginal_relevance(relevance, similarities, self._redundancy, _RANKED)
        rest = np.argsort(-relevance, kind="stable")
        return complete_ranking([*ranked, *rest.tolist()], count)
