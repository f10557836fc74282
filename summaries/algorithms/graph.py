"""Sentence similarity graphs and centrality on them (numpy, no Python loops over pairs)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float64]
Matrix = npt.NDArray[np.float64]


def tfidf_vectors(
    sentences: Sequence[Sequence[str]], *extra: Sequence[str], use_idf: bool = True
) -> Matrix:
    """L2-normalised TF-IDF rows for each sentence (then each ``extra`` text), IDF over sentences.

    Sublinear term frequency keeps a word repeated within one sentence from dominating. Without
    IDF, the words an article keeps coming back to (its topic) weigh most.
    """
    vocabulary: dict[str, int] = {}
    rows = [*sentences, *extra]
    for terms in rows:
        for term in terms:
            vocabulary.setdefault(term, len(vocabulary))
    counts = np.zeros((len(rows), max(len(vocabulary), 1)))
    for row, terms in enumerate(rows):
        for term in terms:
            counts[row, vocabulary[term]] += 1.0
    document_frequency = (counts[: len(sentences)] > 0).sum(axis=0)
    idf = np.log((1.0 + len(sentences)) / (1.0 + document_frequency)) + 1.0 if use_idf else 1.0
    weights = np.where(counts > 0, 1.0 + np.log(np.maximum(counts, 1.0)), 0.0) * idf
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    result: Matrix = weights / np.where(norms == 0.0, 1.0, norms)
    return result


def cosine_similarities(vectors: Matrix) -> Matrix:
    """Pairwise cosine similarity of normalised rows, with a zero diagonal."""
    similarities: Matrix = vectors @ vectors.T
    np.fill_diagonal(similarities, 0.0)
    return similarities


def personalized_pagerank(
    weights: Matrix, prior: Vector, damping: float = 0.85, tolerance: float = 1e-8
) -> Vector:
    """PageRank on a weighted undirected graph whose random jumps follow ``prior``.

    With a uniform prior this is continuous LexRank/TextRank; a position prior gives the
    lead-biased variant (jumps favour the start of the story, walks follow shared content).
    """
    count = len(prior)
    out_weight = weights.sum(axis=1, keepdims=True)
    # Sentences with no edges jump like everyone else's random restart.
    transition = np.where(out_weight > 0, weights / np.where(out_weight == 0, 1, out_weight), 0)
    dangling = out_weight[:, 0] == 0
    scores = np.full(count, 1.0 / count)
    for _ in range(100):
        spread = damping * (scores @ transition + scores[dangling].sum() * prior)
        updated: Vector = spread + (1.0 - damping) * prior
        if np.abs(updated - scores).sum() < tolerance:
            return updated
        scores = updated
    return scores


def rank_with_redundancy_control(
    relevance: Vector, similarities: Matrix, redundancy: float, head: int = 20
) -> list[int]:
    """All indices, best first: MMR order for the first ``head``, then by relevance alone."""
    ordered = max_marginal_relevance(relevance, similarities, redundancy, head)
    chosen = set(ordered)
    rest = [int(index) for index in np.argsort(-relevance, kind="stable") if index not in chosen]
    return ordered + rest


def max_marginal_relevance(
    relevance: Vector, similarities: Matrix, redundancy: float, limit: int
) -> list[int]:
    """Greedy MMR (Carbonell and Goldstein, 1998): relevance minus similarity to what is chosen."""
    count = len(relevance)
    chosen: list[int] = []
    closest = np.zeros(count)
    available = np.ones(count, dtype=bool)
    for _ in range(min(limit, count)):
        gain = np.where(available, relevance - redundancy * closest, -np.inf)
        best = int(np.argmax(gain))
        chosen.append(best)
        available[best] = False
        closest = np.maximum(closest, similarities[best])
    return chosen
