"""Related headlines: which stored headlines concern a given article, and how much.

The score of headline h for article A is the idf-weighted share of h's terms that are central
to A:

    score(h) = sum(idf(t) * centrality(t) for t in h) / sum(idf(t) for t in h)

* idf(t) is the BM25 inverse document frequency of t among all stored headlines, so rare words
  ("Bakhmut", "Zelenskiy") say more than common ones ("says", "new").
* centrality(t) in [0, 1] is how central t is to A: occurrences are weighted by where they are
  (title 3, lead 2, rest 1), and the weight is divided by that of A's most central terms, so a
  word the article is about is near 1 and a word it mentions once in passing is near 0.
* Porter stemming leaves demonyms apart from their places ("ukrainian" / "ukrain",
  "russian" / "russia"), so stems that extend one another by at most three letters (the
  shorter having at least five) count as one term: their weights add up.

The score is therefore a fraction: 1 means every informative word of the headline is one the
article is about; 0 means none occurs. The threshold is read on that scale (see THRESHOLD).
Candidates come from the full-text index (any of A's most central terms), scored exactly here.
"""

from __future__ import annotations

import asyncio
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from storage.models import RelatedHeadline
from storage.terms import TermSplitter

FIELD_WEIGHTS = (3.0, 1.0)  # title, text
LEAD_WEIGHT = 2.0
LEAD_TERMS = 60
# The mean weight of this many top terms is what "fully central" means for an article.
REFERENCE_TERMS = 3
QUERY_TERMS = 24
CANDIDATES = 200
# A headline shown as related must have at least this share of its information central to the
# article: e.g. one fully central word among about eight equally informative ones, or several
# partly central ones. Unrelated headlines that share a passing mention score ~0.01-0.03.
THRESHOLD = 0.05

_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same says said she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    s t amid new via"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True, slots=True)
class ArticleProfile:
    """An article's central terms: stem -> centrality in [0, 1], and stem -> a surface form."""

    centrality: dict[str, float]
    surface: dict[str, str]

    def of(self, stem: str) -> float:
        """Centrality of a headline's stem, through its variants; 0 when the article lacks it."""
        return max((self.centrality.get(key, 0.0) for key in variant_keys(stem)), default=0.0)

    def query_term(self, stem: str) -> str:
        """The FTS5 term that finds headlines containing the stem or its variants."""
        if len(stem) >= VARIANT_MIN_LENGTH:
            return f'"{stem}" *'
        return f'"{self.surface[stem]}"'


VARIANT_MIN_LENGTH = 5
VARIANT_MAX_EXTRA = 3


def variant_keys(stem: str) -> list[str]:
    """The stem and its prefixes that may be the same word (``ukrainian`` -> ``ukrain``...)."""
    shortest = max(VARIANT_MIN_LENGTH, len(stem) - VARIANT_MAX_EXTRA)
    return [stem[:length] for length in range(len(stem), shortest - 1, -1)] or [stem]


class RelatedRanker:
    """Scores stored headlines against articles; holds the tokenizer it shares between calls."""

    def __init__(self) -> None:
        self._splitter = TermSplitter()
        self._stop_stems = self._splitter.stems_of_each([" ".join(STOPWORDS)])[0]

    def close(self) -> None:
        """Release the tokenizer."""
        self._splitter.close()

    def profile(self, title: str, text: str) -> ArticleProfile:
        """Centrality of each term of an article (title may be empty)."""
        weights: dict[str, float] = defaultdict(float)
        surface: dict[str, str] = {}
        for term in self._splitter.terms([title, text]):
            if term.surface in STOPWORDS or len(term.surface) < 2:
                continue
            weight = FIELD_WEIGHTS[term.field]
            if term.field == 1 and term.position < LEAD_TERMS:
                weight = LEAD_WEIGHT
            weights[term.stem] += weight
            surface.setdefault(term.stem, term.surface)
        if not weights:
            return ArticleProfile({}, {})
        # Pool the weight of stems that are variants of one another under their shortest form.
        pooled: dict[str, float] = defaultdict(float)
        canonical: dict[str, str] = {}
        for stem in sorted(weights, key=len):
            root = next((key for key in variant_keys(stem)[::-1] if key in pooled), stem)
            canonical[stem] = root
            pooled[root] += weights[stem]
        top = sorted(pooled.values(), reverse=True)[:REFERENCE_TERMS]
        reference = sum(top) / len(top)
        centrality = {root: min(1.0, weight / reference) for root, weight in pooled.items()}
        return ArticleProfile(centrality, {root: surface[root] for root in centrality})

    def headline_stems(self, titles: Sequence[str]) -> list[set[str]]:
        """The informative stems of each title."""
        return [stems - self._stop_stems for stems in self._splitter.stems_of_each(titles)]


def _idf(documents: int, frequency: int) -> float:
    return math.log(1.0 + (documents - frequency + 0.5) / (frequency + 0.5))


async def _document_frequencies(
    connection: aiosqlite.Connection, stems: Sequence[str]
) -> dict[str, int]:
    frequencies: dict[str, int] = {}
    # fts5vocab answers term = ? by index lookup; chunks keep the IN list within SQLite limits.
    for start in range(0, len(stems), 500):
        chunk = stems[start : start + 500]
        async with connection.execute(
            f"SELECT term, doc FROM headlines_vocab WHERE term IN ({', '.join('?' * len(chunk))})",
            chunk,
        ) as cursor:
            frequencies.update({row[0]: row[1] for row in await cursor.fetchall()})
    return frequencies


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
    if not profile.centrality or limit <= 0:
        return []
    async with connection.execute("SELECT count(*) FROM headlines") as cursor:
        row = await cursor.fetchone()
    documents = int(row[0]) if row else 0
    frequencies = await _document_frequencies(connection, list(profile.centrality))
    query_stems = sorted(
        (stem for stem in profile.centrality if frequencies.get(stem)),
        key=lambda stem: profile.centrality[stem] * _idf(documents, frequencies[stem]),
        reverse=True,
    )[:QUERY_TERMS]
    if not query_stems:
        return []
    expression = " OR ".join(profile.query_term(stem) for stem in query_stems)
    async with connection.execute(
        "SELECT h.id, h.title, h.url, h.source, h.article_id, h.title_key FROM headlines_fts f"
        " JOIN headlines h ON h.id = f.rowid WHERE headlines_fts MATCH ?"
        " AND h.article_id IS NOT ? ORDER BY f.rank LIMIT ?",
        # -1 is no article id, so "exclude nothing" keeps the bare headlines (NULL article_id).
        (expression, -1 if exclude_article_id is None else exclude_article_id, CANDIDATES),
    ) as cursor:
        candidates = [tuple(row) for row in await cursor.fetchall()]
    if not candidates:
        return []
    stems_per_title = await asyncio.to_thread(
        ranker.headline_stems, [candidate[1] for candidate in candidates]
    )
    unknown = sorted({stem for stems in stems_per_title for stem in stems} - frequencies.keys())
    frequencies.update(await _document_frequencies(connection, unknown))
    scored: list[tuple[float, tuple[object, ...]]] = []
    for candidate, stems in zip(candidates, stems_per_title, strict=True):
        idfs = {stem: _idf(documents, frequencies.get(stem, 0)) for stem in stems}
        total = sum(idfs.values())
        if total <= 0:
            continue
        covered = sum(idf * profile.of(stem) for stem, idf in idfs.items())
        score = covered / total
        if score >= threshold:
            scored.append((score, candidate))
    scored.sort(key=lambda item: item[0], reverse=True)
    results: list[RelatedHeadline] = []
    seen_titles: set[object] = set()
    for score, (_, title, url, source, article_id, key) in scored:
        if key in seen_titles:
            continue
        seen_titles.add(key)
        results.append(
            RelatedHeadline(
                title=str(title),
                url=url if isinstance(url, str) else None,
                source=source if isinstance(source, str) else None,
                score=round(score, 4),
                article_id=article_id if isinstance(article_id, int) else None,
            )
        )
        if len(results) >= limit:
            break
    return results
