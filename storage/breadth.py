"""Topics and muted words so common that they would match almost every story.

Following "the" fills a digest with everything; muting "and on he to" hides everything and
makes filtering pointless work. Both are refused when stored. A term (a word or a phrase) is
too broad when it is made of stop words only, or when its rarest word is in more than
``BROAD_SHARE`` of the stored stories (a phrase matches at most as often as its rarest word).
Document counts come from ``term_stats`` by primary key: a few lookups whatever the store's size.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import aiosqlite

from storage.sql import placeholders
from storage.terms import shared_splitter
from storage.text import STOPWORDS

__all__ = ["BROAD_SHARE", "MIN_DOCUMENTS", "is_too_broad"]

# More than half of all stories: a filter that keeps or drops most of the news is no filter.
# The refusals say "more than half" (storage/subscriptions.py, storage/reader_controls.py).
BROAD_SHARE = 0.5
# Below this many stored stories a share says little about a word (a new bot's first feed).
MIN_DOCUMENTS = 200

Term = Sequence[str]


async def is_too_broad(connection: aiosqlite.Connection, clauses: Sequence[Sequence[Term]]) -> bool:
    """Whether a filter would match almost every story.

    ``clauses`` are joined by AND and the terms of a clause by OR; a term is a list of words
    (a plain topic is one clause of one term). The filter is too broad when every clause has
    a term that is.
    """
    if not clauses:
        return False
    if all(any(_only_stop_words(term) for term in clause) for clause in clauses):
        return True
    total = await _document_count(connection)
    if total < MIN_DOCUMENTS:
        return False
    distinct = sorted({word for clause in clauses for term in clause for word in term})
    # The splitter is shared with ingestion (and its lock with it): off the event loop.
    stems = await asyncio.to_thread(shared_splitter().stems_of_each, distinct)
    stem_of = {word: min(found) for word, found in zip(distinct, stems, strict=True) if found}
    documents = await _documents(connection, sorted(set(stem_of.values())))

    def broad(term: Term) -> bool:
        if _only_stop_words(term):
            return True
        rarest = min(documents.get(stem_of.get(word, ""), 0) for word in term)
        return rarest > BROAD_SHARE * total

    return all(any(broad(term) for term in clause) for clause in clauses)


def _only_stop_words(term: Term) -> bool:
    # A term without words matches nothing: narrow, not broad.
    return bool(term) and all(word in STOPWORDS for word in term)


async def _document_count(connection: aiosqlite.Connection) -> int:
    # term_stats counts documents in its row for the empty term (schema step 5).
    async with connection.execute("SELECT docs FROM term_stats WHERE term = ''") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def _documents(connection: aiosqlite.Connection, stems: Sequence[str]) -> dict[str, int]:
    if not stems:
        return {}
    async with connection.execute(
        f"SELECT term, docs FROM term_stats WHERE term IN ({placeholders(len(stems))})",
        stems,
    ) as cursor:
        return {str(row[0]): int(row[1]) for row in await cursor.fetchall()}
