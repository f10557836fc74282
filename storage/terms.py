"""Split text into terms exactly as the full-text index does, using SQLite's own tokenizers.

A private in-memory database holds two one-row FTS5 tables: one with the index's Porter
tokenizer and one without stemming. Reading their ``fts5vocab`` instance tables gives each
token's stem and surface form at the same position, so our scores and the index never disagree
about what a word is.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass

TOKENIZE_STEMMED = "porter unicode61 remove_diacritics 2"
TOKENIZE_PLAIN = "unicode61 remove_diacritics 2"


@dataclass(frozen=True, slots=True)
class Term:
    """One token: its stem (as indexed), its surface form, its field and position."""

    stem: str
    surface: str
    field: int
    position: int


class TermSplitter:
    """Thread-safe tokenising with the index's tokenizer."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        for name, tokenize in (("stemmed", TOKENIZE_STEMMED), ("plain", TOKENIZE_PLAIN)):
            self._db.execute(
                f"CREATE VIRTUAL TABLE {name} USING fts5 (f0, f1, tokenize = '{tokenize}')"
            )
            self._db.execute(
                f"CREATE VIRTUAL TABLE {name}_terms USING fts5vocab ({name}, instance)"
            )
        self._db.execute("CREATE VIRTUAL TABLE stemmed_rows USING fts5vocab (stemmed, row)")

    def close(self) -> None:
        """Release the in-memory database."""
        self._db.close()

    def terms(self, fields: Sequence[str]) -> list[Term]:
        """The terms of one document made of up to two fields, in field and position order."""
        values = [*fields, "", ""][:2]
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.execute("INSERT INTO stemmed (rowid, f0, f1) VALUES (1, ?, ?)", values)
                self._db.execute("INSERT INTO plain (rowid, f0, f1) VALUES (1, ?, ?)", values)
                stems = {
                    (column, offset): term
                    for term, column, offset in self._db.execute(
                        "SELECT term, col, offset FROM stemmed_terms"
                    )
                }
                plain = self._db.execute("SELECT term, col, offset FROM plain_terms").fetchall()
            finally:
                self._db.execute("ROLLBACK")
        found = [
            Term(stems.get((column, offset), term), term, int(column[1:]), offset)
            for term, column, offset in plain
        ]
        found.sort(key=lambda term: (term.field, term.position))
        return found

    def stems_of_each(self, texts: Sequence[str]) -> list[set[str]]:
        """The set of stems of each text."""
        result: list[set[str]] = [set() for _ in texts]
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "INSERT INTO stemmed (rowid, f0) VALUES (?, ?)",
                    [(index + 1, text) for index, text in enumerate(texts)],
                )
                for term, document in self._db.execute("SELECT term, doc FROM stemmed_terms"):
                    result[document - 1].add(term)
            finally:
                self._db.execute("ROLLBACK")
        return result

    def document_frequencies(self, texts: Sequence[str]) -> list[tuple[str, int]]:
        """(stem, number of texts containing it) over ``texts``."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "INSERT INTO stemmed (rowid, f0) VALUES (?, ?)",
                    [(index + 1, text) for index, text in enumerate(texts)],
                )
                return self._db.execute("SELECT term, doc FROM stemmed_rows").fetchall()
            finally:
                self._db.execute("ROLLBACK")


@functools.cache
def shared_splitter() -> TermSplitter:
    """One splitter for the process; its lock makes it safe to share between threads."""
    return TermSplitter()
