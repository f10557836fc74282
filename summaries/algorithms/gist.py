"""Gist: what the whole article is about, by centrality and coverage, with no position prior.

For stories that are not written as an inverted pyramid (features, analysis, reports):

- Centrality is PageRank on the cosine graph of term-frequency vectors, without IDF: within
  one article IDF would discount exactly the words it keeps returning to, its topic.
- Coverage: a central sentence that says more covers more of the article, so centrality is
  multiplied by the square root of the sentence's length in words (diminishing returns).

A known title adds its cosine similarity, and maximal marginal relevance keeps the picks from
repeating each other.
"""

from __future__ import annotations

import numpy as np

from summaries.algorithms.base import SentenceRanker
from summaries.algorithms.graph import (
    cosine_similarities,
    personalized_pagerank,
    rank_with_redundancy_control,
    tfidf_vectors,
)
from summaries.document import Article

COVERAGE_EXPONENT = 0.5
TITLE_WEIGHT = 0.2
REDUNDANCY = 0.2


class GistSummarizer(SentenceRanker):
    """Topic-word centrality times coverage, with title awareness and redundancy control."""

    def __call__(self, article: Article) -> list[int]:
        """Sentences best first."""
        count = len(article.sentences)
        if count < 2:
            return list(range(count))
        vectors = tfidf_vectors(article.content_stems, article.title_stems, use_idf=False)
        similarities = cosine_similarities(vectors[:count])
        centrality = personalized_pagerank(similarities, np.full(count, 1.0 / count))
        words = np.array([max(len(words), 1) for words in article.words], dtype=float)
        relevance = centrality * words**COVERAGE_EXPONENT
        relevance = relevance / relevance.max()
        if article.title_stems:
            relevance = relevance + TITLE_WEIGHT * (vectors[:count] @ vectors[count])
        return rank_with_redundancy_control(relevance, similarities, REDUNDANCY)
