"""Reports of one event: which stored articles tell the same story in other words.

Ingestion already files the same text or the same specific title from another source under one
story id. Reworded reports (a second wire, a follow-up written from the same facts) are found
here, on title and body: two articles are one story when the cosine of their tf-idf vectors
(storage.related.similarity) reaches SAME_STORY_SIMILARITY and they were stored within
SAME_STORY_WINDOW of each other. Groups are closed under that relation (A~B and B~C put A, B
and C together), and each group lists its best-written report first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import aiosqlite

from storage.related import (
    article_stems,
    cosine,
    document_count,
    document_frequencies,
    idf,
    unit_vector,
)

__all__ = ["SAME_STORY_SIMILARITY", "SAME_STORY_WINDOW", "same_story_groups"]

# Reworded reports of one event share most of their informative words, so their cosine sits far
# above that of two articles on one theme. The rule: twice the related bar (0.28), which itself
# is the 99.9th percentile of random pairs. Not tuned on the labelled pairs; the figures
# measured on them are in docs/digests.md.
SAME_STORY_SIMILARITY = 0.56
SAME_STORY_WINDOW = timedelta(hours=48)
KEY_TERMS = 5
MAX_REPORTS_PER_TERM = 40


@dataclass(frozen=True, slots=True)
class _Report:
    article_id: int
    stored_at: float
    length: int
    stems: dict[str, float]


async def same_story_groups(
    connection: aiosqlite.Connection, article_ids: Sequence[int]
) -> list[tuple[int, ...]]:
    """The given articles grouped by story, best-written report first; singletons included."""
    ids = sorted(set(article_ids))
    rows: list[tuple[int, int, int]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        async with connection.execute(
            f"SELECT id, sort_at, length(text) FROM articles"
            f" WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ) as cursor:
            rows.extend((row[0], row[1], row[2]) for row in await cursor.fetchall())
    weights = await article_stems(connection, [row[0] for row in rows])
    reports = [
        _Report(row[0], float(row[1]), row[2], weights[row[0]]) for row in rows if row[0] in weights
    ]
    if not reports:
        return []
    stems = sorted({stem for report in reports for stem in report.stems})
    documents = await document_count(connection)
    frequencies = await document_frequencies(connection, stems)
    idfs = {stem: idf(documents, frequencies.get(stem, 0)) for stem in stems}
    return await asyncio.to_thread(_group, reports, idfs)


def _group(reports: Sequence[_Report], idfs: dict[str, float]) -> list[tuple[int, ...]]:
    parent = list(range(len(reports)))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    vectors = [unit_vector(report.stems, idfs) for report in reports]
    # Two reports of one event share their most telling words, so only pairs sharing one of
    # their KEY_TERMS heaviest are compared: a digest run's few thousand articles cost a few
    # thousand comparisons, not millions.
    by_term: dict[str, list[int]] = {}
    for index, vector in enumerate(vectors):
        for term in sorted(vector, key=vector.__getitem__, reverse=True)[:KEY_TERMS]:
            by_term.setdefault(term, []).append(index)
    window = SAME_STORY_WINDOW.total_seconds()
    compared: set[tuple[int, int]] = set()
    for members in by_term.values():
        if len(members) > MAX_REPORTS_PER_TERM:
            continue  # a word that heads this many reports names a theme, not one event
        for position, left in enumerate(members):
            for right in members[position + 1 :]:
                if (left, right) in compared:
                    continue
                compared.add((left, right))
                if abs(reports[left].stored_at - reports[right].stored_at) > window:
                    continue
                same = cosine(vectors[left], vectors[right]) >= SAME_STORY_SIMILARITY
                if same and find(left) != find(right):
                    parent[find(right)] = find(left)
    groups: dict[int, list[_Report]] = {}
    for index, report in enumerate(reports):
        groups.setdefault(find(index), []).append(report)
    # The fullest report reads best; on equal length the earlier one is usually the original.
    return [
        tuple(
            report.article_id for report in sorted(members, key=lambda r: (-r.length, r.article_id))
        )
        for members in groups.values()
    ]
