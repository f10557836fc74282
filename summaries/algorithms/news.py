"""News, the default: centrality weighted by a lead prior, concision and the title.

Three observations about news, each from the literature on unsupervised extractive
summarisation, and none specific to one data set:

- Journalists write in an inverted pyramid, so the opening sentences carry the story (the
  Lead-3 baseline; Zheng and Lapata's PacSum). The prior falls off as 1/sqrt(position + 1):
  soft enough that a central sentence further down can displace a weak second or third one.
- Sentences that share content with many others are central to the story (LexRank, Erkan and
  Radev 2004): PageRank on the TF-IDF cosine graph with the customary damping of 0.85.
- Summaries of news are short; a sentence of more than 30 words is scored per 30 words, so a
  rambling sentence must be proportionally more central to win.

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

POSITION_DECAY = 0.5
CONCISE_WORDS = 30
TITLE_WEIGHT = 0.2
REDUNDANCY = 0.3


class NewsSummarizer(SentenceRanker):
    """Lead-weighted LexRank centrality with title awareness and redundancy control."""

    def __call__(self, article: Article) -> list[int]:
        """Sentences best first."""
        count = len(article.sentences)
        if count < 2:
            return list(range(count))
        vectors = tfidf_vectors(article.content_stems, article.title_stems)
        similarities = cosine_similarities(vectors[:count])
        centrality = personalized_pagerank(similarities, np.full(count, 1.0 / count))
        position_prior = np.arange(1.0, count + 1.0) ** -POSITION_DECAY
        words = np.array([max(len(words), 1) for words in article.words], dtype=float)
        concision = CONCISE_WORDS / np.maximum(words, CONCISE_WORDS)
        relevance = centrality * position_prior * concision
        relevance = relevance / relevance.max()
        if article.title_stems:
            relevance = relevance + TITLE_WEIGHT * (vectors[:count] @ vectors[count])
        return rank_with_redundancy_control(relevance, similarities, REDUNDANCY)
