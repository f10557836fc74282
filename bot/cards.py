"""The summary card of a stored article: what /summary answers, an inline result posts and a
story posted as it happens shows."""

from __future__ import annotations

from bot.formatting import SummaryCard, summary_card
from bot.i18n import Translator
from bot.services import Services
from storage import Article, Chat

__all__ = ["article_card"]


async def article_card(
    services: Services, article: Article, chat: Chat | None, t: Translator
) -> str:
    """A stored article as a summary card in the chat's summary length and time zone."""
    length = chat.summary_length if chat else "medium"
    sentences = await services.summarizer.summarize_article(article, length=length)
    related = await services.store.articles.related(article.id, limit=3)
    card = SummaryCard(
        title=article.title,
        sentences=sentences,
        url=article.url,
        source=article.source,
        published_at=article.published_at,
        related=related,
        article_id=article.id,
    )
    return summary_card(card, time_zone=chat.time_zone if chat else "UTC", t=t)
