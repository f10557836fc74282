"""Helpers for statements that take a list of values (``WHERE id IN (?, ?, ...)``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

_T = TypeVar("_T")

# SQLite caps the values bound to one statement (999 before 3.32, 32,766 since): lists are sent
# in chunks well within either.
CHUNK_SIZE = 500


def chunks(items: Sequence[_T], size: int = CHUNK_SIZE) -> Iterator[Sequence[_T]]:
    """``items`` in consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def placeholders(count: int) -> str:
    """``?, ?, ?`` for ``count`` values."""
    return ", ".join("?" * count)
