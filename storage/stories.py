"""Reports of one event: which stored articles tell the same news in other words.

Ingestion already files the same text or the same specific title from another source under one
story id. Reworded reports (a second wire rewriting the first) are found here, on title and
body. Merging two reports claims they are the *same event*, so it takes two kinds of evidence:

* the bodies: the cosine of the two articles' tf-idf vectors (storage.related.similarity)
  reaches SAME_STORY_SIMILARITY, and they were stored within SAME_STORY_WINDOW of each other;
* and the headlines agree (tf-idf cosine at least SAME_EVENT_TITLE_SIMILARITY), or the reports
  name the same people and places (at least SAME_EVENT_NAME_SHARE of the names either uses).

A follow-up on the same people, or another angle on one event (a speech and its fact check),
shares much of the first report's text but is headlined for its own news and brings names of
its own: it is related news, which a digest shows as a related line, not the same report.
Groups are closed under the relation (A~B and B~C put A, B and C together), and each group
lists its best-written report first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import aiosqlite

from storage.related import (
    PROFILE_TEXT_CHARS,
    article_stems,
    cosine,
    document_count,
    document_frequencies,
    idf,
    proper_names,
    stem_weights,
    unit_vector,
)
from storage.sql import chunks, placeholders

__all__ = [
    "SAME_EVENT_NAME_SHARE",
    "SAME_EVENT_TITLE_SIMILARITY",
    "SAME_STORY_SIMILARITY",
    "SAME_STORY_WINDOW",
    "article_names",
    "same_story_groups",
]

# Reworded reports of one event share most of their informative words, so their cosine sits far
# above that of two articles on one theme. The rule: twice the related bar (0.28), which itself
# is the 99.9th percentile of random pairs. Not tuned on the labelled pairs; the figures
# measured on them are in docs/storage.md.
SAME_STORY_SIMILARITY = 0.56
# Two headlines of one event name what happened: at least two of a typical headline's five
# informative words in common, a cosine of 2/5 (999 in 1,000 random headline pairs score below
# 0.32). A body cosine alone cannot tell one event from a follow-up on the same people.
SAME_EVENT_TITLE_SIMILARITY = 0.4
# Or they name the same people and places: at least half of the names either report uses.
SAME_EVENT_NAME_SHARE = 0.5
SAME_STORY_WINDOW = timedelta(hours=48)
KEY_TERMS = 5
MAX_REPORTS_PER_TERM = 40


@dataclass(frozen=True, slots=True)
class _Report:
    article_id: int
    stored_at: float
    length: int
    stems: dict[str, float]
    title_stems: dict[str, float]
    names: frozenset[str]


# Names and headline stems of recently compared articles, by (id, content hash): every digest
# run compares the same recent articles, and finding names in a text is the expensive part.
_MARKS: dict[tuple[int, str], tuple[dict[str, float], frozenset[str]]] = {}
_MARKS_LIMIT = 20_000


async def same_story_groups(
    connection: aiosqlite.Connection, article_ids: Sequence[int]
) -> list[tuple[int, ...]]:
    """The given articles grouped by the event they report, best report first; singletons too."""
    ids = sorted(set(article_ids))
    rows: list[tuple[int, int, int, str]] = []
    for chunk in chunks(ids):
        async with connection.execute(
            "SELECT id, sort_at, length(text), content_hash FROM articles"
            f" WHERE id IN ({placeholders(len(chunk))})",
            chunk,
        ) as cursor:
            rows.extend((row[0], row[1], row[2], row[3]) for row in await cursor.fetchall())
    weights = await article_stems(connection, [row[0] for row in rows])
    rows = [row for row in rows if row[0] in weights]
    if not rows:
        return []
    marks = await _marks(connection, [(row[0], row[3]) for row in rows])
    reports = [
        _Report(article_id, float(stored_at), length, weights[article_id], *marks[article_id])
        for article_id, stored_at, length, _ in rows
        if article_id in marks
    ]
    stems = sorted({stem for report in reports for stem in report.stems})
    documents = await document_count(connection)
    frequencies = await document_frequencies(connection, stems)
    idfs = {stem: idf(documents, frequencies.get(stem, 0)) for stem in stems}
    # A worker thread: comparing vectors is CPU the event loop should not hold.
    return await asyncio.to_thread(_group, reports, idfs)


async def article_names(
    connection: aiosqlite.Connection, article_ids: Sequence[int]
) -> dict[int, frozenset[str]]:
    """The names (people, places, organisations) each stored article's text uses."""
    ids = sorted(set(article_ids))
    keys: list[tuple[int, str]] = []
    for chunk in chunks(ids):
        async with connection.execute(
            f"SELECT id, content_hash FROM articles WHERE id IN ({placeholders(len(chunk))})",
            chunk,
        ) as cursor:
            keys.extend((row[0], row[1]) for row in await cursor.fetchall())
    return {
        article_id: names for article_id, (_, names) in (await _marks(connection, keys)).items()
    }


async def _marks(
    connection: aiosqlite.Connection, keys: Sequence[tuple[int, str]]
) -> dict[int, tuple[dict[str, float], frozenset[str]]]:
    """Headline stems and names of the articles, from the cache or read and found."""
    missing = [
        article_id for article_id, content_hash in keys if (article_id, content_hash) not in _MARKS
    ]
    texts: list[tuple[int, str, str]] = []
    for chunk in chunks(missing):
        async with connection.execute(
            f"SELECT id, title, substr(text, 1, {PROFILE_TEXT_CHARS}) FROM articles"
            f" WHERE id IN ({placeholders(len(chunk))})",
            chunk,
        ) as cursor:
            texts.extend((row[0], row[1] or "", row[2]) for row in await cursor.fetchall())
    # A worker thread: finding names in thousands of texts takes a while.
    found = await asyncio.to_thread(
        lambda: {
            article_id: (stem_weights(title, ""), proper_names(text))
            for article_id, title, text in texts
        }
    )
    hashes = dict(keys)
    marks = {
        article_id: found.get(article_id) or _MARKS[(article_id, content_hash)]
        for article_id, content_hash in keys
        if article_id in found or (article_id, content_hash) in _MARKS
    }
    if len(_MARKS) + len(found) > _MARKS_LIMIT:
        for old in list(_MARKS)[: max(len(found), _MARKS_LIMIT // 10)]:
            del _MARKS[old]
    _MARKS.update({(article_id, hashes[article_id]): value for article_id, value in found.items()})
    return marks


class _Groups:
    """Union-find over report indexes."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def find(self, index: int) -> int:
        while self._parent[index] != index:
            self._parent[index] = self._parent[self._parent[index]]
            index = self._parent[index]
        return index

    def join(self, left: int, right: int) -> None:
        self._parent[self.find(right)] = self.find(left)

    def members(self, reports: Sequence[_Report]) -> list[tuple[int, ...]]:
        groups: dict[int, list[_Report]] = {}
        for index, report in enumerate(reports):
            groups.setdefault(self.find(index), []).append(report)
        # The fullest report reads best; on equal length the earlier one is usually the original.
        return [
            tuple(r.article_id for r in sorted(members, key=lambda r: (-r.length, r.article_id)))
            for members in groups.values()
        ]


def _group(reports: Sequence[_Report], idfs: dict[str, float]) -> list[tuple[int, ...]]:
    vectors = [unit_vector(report.stems, idfs) for report in reports]
    titles = [unit_vector(report.title_stems, idfs) for report in reports]
    events = _Groups(len(reports))
    for left, right in _candidate_pairs(reports, vectors):
        if cosine(vectors[left], vectors[right]) >= SAME_STORY_SIMILARITY and (
            cosine(titles[left], titles[right]) >= SAME_EVENT_TITLE_SIMILARITY
            or _name_share(reports[left].names, reports[right].names) >= SAME_EVENT_NAME_SHARE
        ):
            events.join(left, right)
    return events.members(reports)


def _name_share(left: frozenset[str], right: frozenset[str]) -> float:
    either = len(left | right)
    return len(left & right) / either if either else 0.0


def _candidate_pairs(
    reports: Sequence[_Report], vectors: Sequence[dict[str, float]]
) -> set[tuple[int, int]]:
    """Pairs stored within the window that share one of their KEY_TERMS heaviest terms.

    Two reports of one story share their most telling words, so only those pairs are compared:
    a digest run's few thousand articles cost a few thousand comparisons, not millions.
    """
    by_term: dict[str, list[int]] = {}
    for index, vector in enumerate(vectors):
        for term in sorted(vector, key=vector.__getitem__, reverse=True)[:KEY_TERMS]:
            by_term.setdefault(term, []).append(index)
    window = SAME_STORY_WINDOW.total_seconds()
    pairs: set[tuple[int, int]] = set()
    for members in by_term.values():
        if len(members) > MAX_REPORTS_PER_TERM:
            continue  # a word that heads this many reports names a theme, not one event
        for position, left in enumerate(members):
            for right in members[position + 1 :]:
                if abs(reports[left].stored_at - reports[right].stored_at) <= window:
                    pairs.add((left, right))
    return pairs
