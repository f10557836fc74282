"""Related headlines: which stored headlines concern a given article, and how much.

The score of headline h for article A is the idf-weighted share of h's terms that are central
to A:

    score(h) = sum(idf(t) * centrality(t) for t in h) / sum(idf(t) for t in h)

* idf(t) is the BM25 inverse document frequency of t among stored articles and headlines,
  so specific words ("Bakhmut", "Zelenskiy") say more than common ones ("says", "force").
* centrality(t) in [0, 1] is how central t is to A. Each occurrence in A is weighted by where it
  is (title 3, lead 2, rest 1); the sum times idf(t) is t's salience, and salience is divided
  by the mean salience of A's three most salient terms, capped at 1. A word the article is
  about is near 1; a word it mentions once in passing is near 0.
* Porter stemming leaves demonyms apart from their places ("ukrainian" / "ukrain",
  "russian" / "russia"), so stems that extend one another by at most three letters (the
  shorter having at least five) count as one term: their weights add up.

The score is therefore a fraction: 1 means every informative word of the headline is one the
article is about; 0 means none occurs (see headline_score for the length normalisation). The
threshold is read on that scale (see THRESHOLD).
Candidates come from the full-text index (any of A's most salient terms); each is then scored
exactly as above.

Sharing one word is not sharing a story ("Kyiv power grid hit" and "low-power processor"), so
a bare headline must also hold at least MIN_SHARED_TERMS terms that are salient to A. A
candidate that is a stored article's title is judged on the whole article instead: the cosine
of the two articles' tf-idf vectors (see similarity) must reach RELATED_SIMILARITY. A body
says far more than a title, which is why the two kinds have their own bar; both are ranked by
how far they clear it. docs/digests.md gives the measured figures.
"""

from __future__ import annotations

import asyncio
import functools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

from storage.models import RelatedHeadline
from storage.sql import chunks, placeholders
from storage.terms import TermSplitter
from storage.text import STOPWORDS

FIELD_WEIGHTS = (3.0, 1.0)  # title, text
# Tokenising costs time per character; what an article is about shows long before this (its
# lead weighs most), so a very long text does not make its related headlines slow.
PROFILE_TEXT_CHARS = 8_000
LEAD_WEIGHT = 2.0
LEAD_TERMS = 60
# The mean salience of this many top terms is what "fully central" means for an article.
REFERENCE_TERMS = 3
QUERY_TERMS = 16
CANDIDATES = 100
VARIANT_MIN_LENGTH = 5
VARIANT_MAX_EXTRA = 3
LENGTH_NORMALISATION = 0.5
# The score is roughly (centrality of the shared words) / (informative words in the headline).
# 0.05 means one word of centrality 0.5 in a typical ten-word headline, or one fully central
# word in a twenty-word one; a passing mention (centrality ~0.1) in a typical headline scores
# ~0.01, and the article's own subject in a typical headline ~0.1.
THRESHOLD = 0.05
# A term counts as shared when it is at least this central to the article (about a fifth of
# its main subject's weight), and a bare headline needs this many such terms. A name (a place,
# person or organisation) counts twice: "Ukraine" alone can tie a headline to a story about
# Ukraine, "power" alone cannot tie a processor to a power grid.
SALIENT_CENTRALITY = 0.2
MIN_SHARED_TERMS = 2
NAME_WEIGHT = 2
# Two articles are related when their tf-idf cosine reaches this. The rule: 999 in 1,000
# random pairs of news articles score below it (0.276 measured on the BBC set), so a pair
# above it shares far more than a theme. Not tuned on the labelled pairs.
RELATED_SIMILARITY = 0.28
# Candidates that are stored articles are judged on their whole text; only the bodies behind
# the best-matching titles are read.
ARTICLE_CANDIDATES = 15


def variant_keys(stem: str) -> list[str]:
    """The stem and its prefixes that may be the same word (``ukrainian`` -> ``ukrain``...)."""
    shortest = max(VARIANT_MIN_LENGTH, len(stem) - VARIANT_MAX_EXTRA)
    return [stem[:length] for length in range(len(stem), shortest - 1, -1)] or [stem]


def idf(documents: int, frequency: int) -> float:
    """BM25 inverse document frequency."""
    return math.log(1.0 + (documents - frequency + 0.5) / (frequency + 0.5))


@dataclass(frozen=True, slots=True)
class ArticleProfile:
    """An article's terms (variants pooled under a root stem): position-weighted counts."""

    weights: dict[str, float]
    surface: dict[str, str]
    # Position-weighted counts per stem, variants not pooled: comparable between articles.
    stems: dict[str, float] = field(default_factory=dict)
    # Roots the text writes as names (places, people, organisations).
    names: frozenset[str] = frozenset()

    def centrality(self, idfs: dict[str, float]) -> dict[str, float]:
        """Root stem -> centrality in [0, 1], given each root's idf."""
        salience = {root: weight * idfs.get(root, 0.0) for root, weight in self.weights.items()}
        top = sorted(salience.values(), reverse=True)[:REFERENCE_TERMS]
        reference = sum(top) / len(top) if top else 0.0
        if reference <= 0:
            return {}
        return {root: min(1.0, value / reference) for root, value in salience.items()}

    def query_term(self, root: str) -> str:
        """The FTS5 term that finds headlines containing the root or its variants."""
        if len(root) >= VARIANT_MIN_LENGTH:
            return f'"{root}" *'
        return f'"{self.surface[root]}"'


def headline_score(covered: float, total: float, typical: float) -> float:
    """The central share of a headline's idf mass, its length softly normalised.

    Dividing by the headline's own mass alone would let a three-word headline sharing one
    common word outrank a full headline sharing the article's subject, so the divisor is
    halfway between the headline's mass and that of a typical candidate headline.
    """
    divisor = LENGTH_NORMALISATION * total + (1 - LENGTH_NORMALISATION) * typical
    return min(1.0, covered / divisor) if divisor > 0 else 0.0


def centrality_of(centrality: dict[str, float], stem: str) -> float:
    """Centrality of a headline's stem, through its variants; 0 when the article lacks it."""
    return max((centrality.get(key, 0.0) for key in variant_keys(stem)), default=0.0)


def root_of(centrality: dict[str, float], stem: str) -> str | None:
    """The article's root that a headline's stem matches, if any."""
    return next((key for key in variant_keys(stem) if key in centrality), None)


_CAPITALISED = re.compile(r"(?<![.!?:\"“‘]\s)(?<!^)(?<!\n)\b([A-Z][\w-]+)")
_WORD = re.compile(r"\b[\w'’-]+")


def proper_names(text: str) -> frozenset[str]:
    """Lower-cased words the text writes capitalised mid-sentence and never in lower case.

    Headlines capitalise every word, so only running text tells a name ("Ukraine") from a
    common word ("power").
    """
    lower = {word for word in _WORD.findall(text) if word.islower()}
    return frozenset(
        word.casefold()
        for word in _CAPITALISED.findall(text)
        if word.casefold() not in lower and not word.isupper()
    )


class RelatedRanker:
    """Profiles articles and splits headlines; holds the tokenizer it shares between calls."""

    def __init__(self) -> None:
        # Its own splitter, so queries never wait for an ingest tokenising a chunk.
        self._splitter = TermSplitter()
        self._stop_stems = self._splitter.stems_of_each([" ".join(STOPWORDS)])[0]

    def close(self) -> None:
        """Release the tokenizer."""
        self._splitter.close()

    def profile(self, title: str, text: str) -> ArticleProfile:
        """Position-weighted counts of an article's informative terms (title may be empty)."""
        weights: dict[str, float] = defaultdict(float)
        surface: dict[str, str] = {}
        for term in self._splitter.terms([title, text[:PROFILE_TEXT_CHARS]]):
            if term.surface in STOPWORDS or len(term.surface) < 2:
                continue
            weight = FIELD_WEIGHTS[term.field]
            if term.field == 1 and term.position < LEAD_TERMS:
                weight = LEAD_WEIGHT
            weights[term.stem] += weight
            surface.setdefault(term.stem, term.surface)
        # Pool stems that are variants of one another under the shortest one.
        pooled: dict[str, float] = defaultdict(float)
        roots: dict[str, str] = {}
        for stem in sorted(weights, key=len):
            root = next((key for key in variant_keys(stem)[::-1] if key in pooled), stem)
            pooled[root] += weights[stem]
            roots[stem] = root
        proper = proper_names(text)
        names = frozenset(roots[stem] for stem, word in surface.items() if word in proper)
        return ArticleProfile(
            dict(pooled), {root: surface[root] for root in pooled}, dict(weights), names
        )

    def headline_stems(self, titles: Sequence[str]) -> list[set[str]]:
        """The informative stems of each title."""
        return [stems - self._stop_stems for stems in self._splitter.stems_of_each(titles)]


# Stems exactly as SQLite's porter tokenizer makes them (Martin Porter's own extensions; the
# same stem for every word of 100 BBC articles), but about twenty times faster than asking the
# in-memory index, which matters when many candidate bodies are compared.
_TOKEN = re.compile(r"[^\W_]+")


@functools.cache
def _stemmer() -> Any:
    # Imported on first use: importing nltk takes seconds, and most commands never stem.
    from nltk.stem.porter import PorterStemmer  # noqa: PLC0415

    return PorterStemmer(mode=PorterStemmer.MARTIN_EXTENSIONS)


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return str(_stemmer().stem(word))


def _words(text: str) -> list[str]:
    """Lower-cased words without diacritics, split as the index's unicode61 tokenizer does."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return _TOKEN.findall(folded)


def stem_weights(title: str, text: str) -> dict[str, float]:
    """Position-weighted counts per stem (title 3, lead 2, rest 1), as ArticleProfile.stems."""
    weights: dict[str, float] = defaultdict(float)
    for word in _words(title):
        if word not in STOPWORDS and len(word) >= 2:
            weights[_stem(word)] += FIELD_WEIGHTS[0]
    for position, word in enumerate(_words(text)):
        if word not in STOPWORDS and len(word) >= 2:
            weights[_stem(word)] += LEAD_WEIGHT if position < LEAD_TERMS else FIELD_WEIGHTS[1]
    return dict(weights)


def stem_weights_of_each(documents: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
    """stem_weights of several (title, text) documents."""
    return [stem_weights(title, text) for title, text in documents]


def similarity(first: dict[str, float], second: dict[str, float], idfs: dict[str, float]) -> float:
    """Cosine of two articles' tf-idf vectors (sublinear counts of stem_weights), in [0, 1]."""
    left = _vector(first, idfs)
    right = _vector(second, idfs)
    if len(left) > len(right):
        left, right = right, left
    return min(1.0, sum(weight * right.get(stem, 0.0) for stem, weight in left.items()))


def cosine(left: dict[str, float], right: dict[str, float]) -> float:
    """Dot product of two unit vectors (from unit_vector)."""
    if len(left) > len(right):
        left, right = right, left
    return min(1.0, sum(weight * right.get(stem, 0.0) for stem, weight in left.items()))


def unit_vector(stems: dict[str, float], idfs: dict[str, float]) -> dict[str, float]:
    """The tf-idf vector of stem weights (sublinear counts), scaled to length 1."""
    return _vector(stems, idfs)


def _vector(stems: dict[str, float], idfs: dict[str, float]) -> dict[str, float]:
    vector = {stem: (1.0 + math.log(count)) * idfs.get(stem, 0.0) for stem, count in stems.items()}
    norm = math.sqrt(sum(weight * weight for weight in vector.values()))
    return {stem: weight / norm for stem, weight in vector.items()} if norm > 0 else {}


# Stem weights of recently compared articles, by (id, content hash): digest runs and related
# queries compare the same recent articles again and again, and tokenising is the expensive part.
_STEMS: dict[tuple[int, str], dict[str, float]] = {}
_STEMS_LIMIT = 20_000


async def article_stems(
    connection: aiosqlite.Connection, article_ids: Sequence[int]
) -> dict[int, dict[str, float]]:
    """stem_weights of stored articles (title and text), by id; absent ids left out."""
    ids = sorted(set(article_ids))
    keys: dict[int, tuple[int, str]] = {}
    for chunk in chunks(ids):
        marks = placeholders(len(chunk))
        async with connection.execute(
            f"SELECT id, content_hash FROM articles WHERE id IN ({marks})", chunk
        ) as cursor:
            keys.update({row[0]: (row[0], row[1]) for row in await cursor.fetchall()})
    missing = [article_id for article_id, key in keys.items() if key not in _STEMS]
    texts: dict[int, tuple[str, str]] = {}
    for chunk in chunks(missing):
        marks = placeholders(len(chunk))
        async with connection.execute(
            f"SELECT id, title, text FROM articles WHERE id IN ({marks})", chunk
        ) as cursor:
            texts.update({row[0]: (row[1], row[2]) for row in await cursor.fetchall()})
    missing = [article_id for article_id in missing if article_id in texts]
    computed = await asyncio.to_thread(stem_weights_of_each, [texts[key] for key in missing])
    found = dict(zip(missing, computed, strict=True))
    for article_id, weights in found.items():
        if len(_STEMS) >= _STEMS_LIMIT:
            for old in list(_STEMS)[: _STEMS_LIMIT // 10]:
                del _STEMS[old]
        _STEMS[keys[article_id]] = weights
    for article_id, key in keys.items():
        if article_id not in found and key in _STEMS:
            found[article_id] = _STEMS[key]
    return found


def shared_terms(
    profile: ArticleProfile, centrality: dict[str, float], shares: dict[str, float]
) -> int:
    """Salient terms a headline shares with the article, names counted NAME_WEIGHT times."""
    counted: set[str] = set()
    total = 0
    for stem, share in shares.items():
        root = root_of(centrality, stem)
        if share < SALIENT_CENTRALITY or root is None or root in counted:
            continue
        counted.add(root)
        total += NAME_WEIGHT if root in profile.names else 1
    return total


async def document_frequencies(
    connection: aiosqlite.Connection, stems: Sequence[str]
) -> dict[str, int]:
    """Documents (articles and bare headlines) containing each stem; absent stems left out."""
    frequencies: dict[str, int] = {}
    for chunk in chunks(stems):
        async with connection.execute(
            f"SELECT term, docs FROM term_stats WHERE term IN ({placeholders(len(chunk))})",
            chunk,
        ) as cursor:
            frequencies.update({row[0]: row[1] for row in await cursor.fetchall()})
    return frequencies


async def document_count(connection: aiosqlite.Connection) -> int:
    """Documents (articles and bare headlines) counted in the term statistics."""
    async with connection.execute("SELECT docs FROM term_stats WHERE term = ''") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True, slots=True)
class _Candidate:
    title: str
    url: str | None
    source: str | None
    article_id: int | None
    title_key: str


async def _article_bodies(
    connection: aiosqlite.Connection,
    candidates: Sequence[_Candidate],
    title_scores: Sequence[float],
) -> dict[int, dict[str, float]]:
    """Profiles of the articles behind the best-matching candidate titles."""
    best = sorted(
        (
            (score, candidate.article_id)
            for candidate, score in zip(candidates, title_scores, strict=True)
            if candidate.article_id is not None
        ),
        reverse=True,
    )[:ARTICLE_CANDIDATES]
    return await article_stems(connection, [article_id for _, article_id in best])


async def related_headlines(
    connection: aiosqlite.Connection,
    ranker: RelatedRanker,
    profile: ArticleProfile,
    *,
    limit: int,
    exclude_article_id: int | None = None,
    threshold: float = THRESHOLD,
) -> list[RelatedHeadline]:
    """Stored headlines scoring at least ``threshold`` for the profiled article, best first."""
    if not profile.weights or limit <= 0:
        return []
    documents = await document_count(connection)
    frequencies = await document_frequencies(connection, list(profile.weights))
    idfs = {root: idf(documents, frequencies.get(root, 0)) for root in profile.weights}
    centrality = profile.centrality(idfs)
    query_roots = sorted(
        (root for root in centrality if frequencies.get(root)),
        key=lambda root: centrality[root] * idfs[root],
        reverse=True,
    )[:QUERY_TERMS]
    if not query_roots:
        return []
    expression = " OR ".join(profile.query_term(root) for root in query_roots)
    async with connection.execute(
        "SELECT h.title, h.url, h.source, h.article_id, h.title_key FROM headlines_fts f"
        " JOIN headlines h ON h.id = f.rowid WHERE headlines_fts MATCH ?"
        " AND h.article_id IS NOT ? ORDER BY f.rank LIMIT ?",
        # -1 is no article id, so "exclude nothing" keeps the bare headlines (NULL article_id).
        (expression, -1 if exclude_article_id is None else exclude_article_id, CANDIDATES),
    ) as cursor:
        candidates = [_Candidate(*row) for row in await cursor.fetchall()]
    if not candidates:
        return []
    stems_per_title = await asyncio.to_thread(
        ranker.headline_stems, [candidate.title for candidate in candidates]
    )
    unknown = sorted({stem for stems in stems_per_title for stem in stems} - frequencies.keys())
    frequencies.update(await document_frequencies(connection, unknown))
    masses: list[tuple[float, float, int]] = []
    for stems in stems_per_title:
        weights = {stem: idf(documents, frequencies.get(stem, 0)) for stem in stems}
        shares = {stem: centrality_of(centrality, stem) for stem in weights}
        covered = sum(weight * shares[stem] for stem, weight in weights.items())
        shared = shared_terms(profile, centrality, shares)
        masses.append((covered, sum(weights.values()), shared))
    typical = sum(total for _, total, _ in masses) / len(masses)
    title_scores = [headline_score(covered, total, typical) for covered, total, _ in masses]
    bodies = await _article_bodies(connection, candidates, title_scores)
    if bodies:
        body_stems = sorted({stem for body in bodies.values() for stem in body})
        frequencies.update(
            await document_frequencies(connection, sorted(set(body_stems) - frequencies.keys()))
        )
        idfs = {
            stem: idf(documents, frequencies.get(stem, 0)) for stem in {*body_stems, *profile.stems}
        }
    # A worker thread: thirty tf-idf vectors are milliseconds of CPU the event loop should not hold.
    body_scores = await asyncio.to_thread(_body_scores, profile, bodies, idfs) if bodies else {}
    # (how far the bar is cleared, score, candidate)
    scored: list[tuple[float, float, _Candidate]] = []
    for candidate, (_, _, shared), title_score in zip(
        candidates, masses, title_scores, strict=True
    ):
        body = bodies.get(candidate.article_id) if candidate.article_id is not None else None
        if candidate.article_id is not None and body is None:
            continue  # an article is judged on its text, and its title matched too weakly
        if body is not None:
            score = body_scores[candidate.article_id or 0]
            bar = RELATED_SIMILARITY * threshold / THRESHOLD
        else:
            score = title_score
            bar = threshold
            if shared < MIN_SHARED_TERMS:
                continue
        if score >= bar:
            scored.append((score / bar, score, candidate))
    return _best(scored, limit)


def _body_scores(
    profile: ArticleProfile, bodies: dict[int, dict[str, float]], idfs: dict[str, float]
) -> dict[int, float]:
    """Cosine of the article with each candidate body (the article's vector built once)."""
    query = unit_vector(profile.stems, idfs)
    return {key: cosine(query, unit_vector(body, idfs)) for key, body in bodies.items()}


def _best(scored: list[tuple[float, float, _Candidate]], limit: int) -> list[RelatedHeadline]:
    """The ``limit`` candidates clearing their bar by most, each title once."""
    scored.sort(key=lambda item: item[0], reverse=True)
    results: list[RelatedHeadline] = []
    seen_titles: set[str] = set()
    for _, score, candidate in scored:
        if candidate.title_key in seen_titles:
            continue
        seen_titles.add(candidate.title_key)
        results.append(
            RelatedHeadline(
                title=candidate.title,
                url=candidate.url,
                source=candidate.source,
                score=round(score, 4),
                article_id=candidate.article_id,
            )
        )
        if len(results) >= limit:
            break
    return results
