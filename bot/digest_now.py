"""What /digest and the "Digest now" button show.

This is the one seam the scheduled-digest work replaces: until it lands, a digest is simply the
newest articles for the chat's topics, each as a summary card.
"""

from __future__ import annotations

from bot.formatting import SummaryCard, escape, summary_card
from bot.services import Services

__all__ = ["DIGEST_STORIES", "build_digest_now"]

DIGEST_STORIES = 5


async def build_digest_now(services: Services, chat_id: int) -> str | None:
    """The chat's digest as Telegram HTML, or None when it follows no topics or nothing matches."""
    store = services.store
    topics = await store.list_subscriptions(chat_id)
    if not topics:
        return None
    articles = await store.latest_articles(topics=topics, limit=DIGEST_STORIES)
    if not articles:
        return None
    chat = await store.get_chat(chat_id)
    length = chat.summary_length if chat else "medium"
    time_zone = chat.time_zone if chat else "UTC"
    cards = [f"<b>Your digest</b> · {escape(', '.join(topics))}"]
    for article in articles:
        sentences = await services.summarizer.summarize_article(article, length=length)
        related = await store.related_headlines(article.id, limit=3)
        card = SummaryCard(
            title=article.title,
            sentences=sentences,
            url=article.url,
            source=article.source,
            published_at=article.published_at,
            related=related,
            article_id=article.id,
        )
        cards.append(summary_card(card, time_zone=time_zone))
    # Paragraph breaks between stories let long digests split between cards, not inside one.
    return "\n\n".join(cards)
