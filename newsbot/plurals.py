"""Counted nouns for CLI output: "1 new article", "2 new articles"."""

from __future__ import annotations

__all__ = ["counted"]


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """``number`` followed by the noun in the form English uses for it."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"
