"""A story's picture: the link preview of its lead image, large, above the card.

Why a link preview rather than sendPhoto with the card as its caption: a caption stops at
1,024 characters, and a card with its summary and related headlines often needs more; a
preview keeps the card one text message (4096) that buttons and edits work on the same way
with or without a picture. Telegram fetches the image from ``link_preview_options.url``; the
bot never downloads it. Without a stored image the article's own page is previewed.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import LinkPreviewOptions

from bot.services import Services
from storage import Article, Store

__all__ = ["NO_PREVIEW", "article_preview", "story_preview", "top_story_preview"]

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def article_preview(
    store: Store, article: Article, chat_id: int | None, *, enabled: bool
) -> LinkPreviewOptions:
    """The article's picture, large above the text; none if ``enabled`` (the operator's
    switch) is off or the chat said /previews off."""
    pictures = store.pictures
    if not enabled:
        return NO_PREVIEW
    if chat_id is not None and not await pictures.previews_enabled(chat_id):
        return NO_PREVIEW
    image = (await pictures.image_urls([article.id])).get(article.id)
    url = image or article.url
    if url is None:
        return NO_PREVIEW
    # is_disabled spelled out: PTB would fill it in from the application's Defaults (off).
    return LinkPreviewOptions(
        is_disabled=False, url=url, prefer_large_media=True, show_above_text=True
    )


async def story_preview(
    services: Services, article: Article, chat_id: int | None = None
) -> LinkPreviewOptions:
    """The preview for a story posted on its own, or none if the operator or chat said off."""
    return await article_preview(
        services.store, article, chat_id, enabled=services.settings.previews
    )


async def top_story_preview(
    store: Store, chat_id: int, article_ids: Sequence[int], *, enabled: bool
) -> LinkPreviewOptions:
    """A digest's preview: its top story's picture (its first article), never another's."""
    if not enabled or not article_ids:
        return NO_PREVIEW
    article = await store.articles.get(article_ids[0])
    if article is None:
        return NO_PREVIEW
    return await article_preview(store, article, chat_id, enabled=enabled)
