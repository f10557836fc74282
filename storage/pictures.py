"""Lead images of articles (their URLs only) and each chat's link-preview choice."""

from __future__ import annotations

from collections.abc import Iterable

from storage.database import Database
from storage.sql import placeholders

__all__ = ["Pictures", "is_image_url"]


def is_image_url(url: object) -> bool:
    """An absolute http(s) URL short enough to hand to Telegram (it fetches the image)."""
    return isinstance(url, str) and url.startswith(("http://", "https://")) and len(url) <= 2048


class Pictures:
    """Lead images and the previews setting: ``store.pictures``."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def image_urls(self, article_ids: Iterable[int]) -> dict[int, str]:
        """The lead image URL of each article that has one."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        marks = placeholders(len(ids))
        async with (
            self._db.read() as connection,
            connection.execute(
                f"SELECT article_id, url FROM article_images WHERE article_id IN ({marks})", ids
            ) as cursor,
        ):
            return {row[0]: row[1] for row in await cursor.fetchall()}

    async def previews_enabled(self, chat_id: int) -> bool:
        """Whether the chat wants link previews (on unless it said /previews off)."""
        async with (
            self._db.read() as connection,
            connection.execute(
                "SELECT enabled FROM chat_previews WHERE chat_id = ?", (chat_id,)
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return row is None or bool(row[0])

    async def set_previews(self, chat_id: int, enabled: bool) -> None:
        """Turn the chat's link previews on or off (the chat must exist)."""
        async with self._db.write() as connection:
            await connection.execute(
                "INSERT INTO chat_previews (chat_id, enabled) VALUES (?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET enabled = excluded.enabled",
                (chat_id, int(enabled)),
            )
