"""A story's picture: the link preview of its lead image, large, above the card.

Why a link preview rather than sendPhoto with the card as its caption: a caption stops at
1,024 characters, and a card with its summary and related headlines often needs more; a
preview keeps the card one text message (4096) that buttons and edits work on the same way
with or without a picture. Telegram fetches the image from ``link_preview_options.url``; the
bot never downloads it. Without a stored image the article's own page is previewed.
"""

from __future__ import annotations

from telegram import LinkPreviewOptions

from bot.services import Services
from storage import Article

__all__ = ["NO_PREVIEW", "story_preview"]

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def story_preview(
    services: Services, article: Article, chat_id: int | None = None
) -> LinkPreviewOptions:
    """The preview for a story posted on its own, or none if the operator or chat said off."""
    pictures = services.store.pictures
    if not services.settings.previews:
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
