"""Inline keyboards from rows of (label, button): the one builder for every message's buttons."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import Button, encode

__all__ = ["button_row", "keyboard"]


def keyboard(rows: Sequence[Sequence[tuple[str, Button]]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, button)."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=encode(button)) for label, button in row]
            for row in rows
        ]
    )


def button_row(
    items: Sequence[tuple[str, Button]], *, per_row: int = 2
) -> list[list[tuple[str, Button]]]:
    """Lay buttons out ``per_row`` to a row."""
    return [list(items[index : index + per_row]) for index in range(0, len(items), per_row)]
