"""Inline sharing: ``@botname ukraine`` in any chat lists stored stories to post as cards.

Results come from the same search as ``/summary <query>`` (an empty query: the newest stories).
Each result is the story's title, a one-line summary with its source, and the /summary card as
the message it posts. Telegram drops an inline query the bot has not answered within about ten
seconds, so the cards are built concurrently within a budget and a story whose summary is not
ready in time is left out rather than holding up the others.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import InlineQueryHandler

from bot.cards import article_card
from bot.formatting import split_message
from bot.i18n import Translator, resolve_language, translator
from bot.pictures import story_preview
from bot.services import NewsApplication, NewsContext
from storage import Article

__all__ = ["INLINE_BUDGET_SECONDS", "RESULTS_PER_PAGE", "register"]

_LOGGER = logging.getLogger(__name__)

RESULTS_PER_PAGE = 10  # Telegram allows 50; ten cards is what a phone shows without scrolling
# Well inside Telegram's ~10 s, leaving room for the answer's own round trip.
INLINE_BUDGET_SECONDS = 5.0
# Telegram may serve the same answer to this user for five minutes (its default, too): the
# results are news, so longer would hide new stories. Personal, as cards are in the user's
# language.
CACHE_SECONDS = 300
_DESCRIPTION_CHARS = 120


async def _stories(context: NewsContext, query: str, offset: int) -> tuple[list[Article], bool]:
    """A page of stories for the query, and whether there are more."""
    store = context.services.store
    wanted = offset + RESULTS_PER_PAGE + 1
    if query:
        articles = [hit.article for hit in await store.articles.search(query, limit=wanted)]
    else:
        articles = await store.articles.latest(limit=wanted)
    return articles[offset : offset + RESULTS_PER_PAGE], len(articles) > offset + RESULTS_PER_PAGE


async def _result(
    context: NewsContext, article: Article, t: Translator
) -> InlineQueryResultArticle:
    sentences = await context.services.summarizer.summarize_article(article, length="short")
    first = sentences[0] if sentences else ""
    if len(first) > _DESCRIPTION_CHARS:
        first = first[: _DESCRIPTION_CHARS - 1].rstrip() + "…"
    description = " · ".join(part for part in (article.source, first) if part)
    card = await article_card(context.services, article, None, t)
    return InlineQueryResultArticle(
        id=str(article.id),
        title=article.title[:200],
        description=description,
        url=article.url,
        input_message_content=InputTextMessageContent(
            # A card is far below 4096; the first part keeps a freak one valid all the same.
            split_message(card)[0],
            link_preview_options=await story_preview(context.services, article),
        ),
    )


async def inline_query(update: Update, context: NewsContext) -> None:
    """Answer ``@botname words`` with matching stories."""
    query = update.inline_query
    if query is None:
        return
    offset = int(query.offset) if query.offset.isdigit() else 0
    t = translator(resolve_language(query.from_user.language_code))
    articles, more = await _stories(context, query.query.strip(), offset)
    tasks = [asyncio.ensure_future(_result(context, article, t)) for article in articles]
    results: list[InlineQueryResultArticle] = []
    if tasks:
        _, pending = await asyncio.wait(tasks, timeout=INLINE_BUDGET_SECONDS)
        for task in pending:
            task.cancel()
        if pending:
            _LOGGER.info("Inline answer without %d late cards", len(pending))
        for task in tasks:
            if task in pending:
                continue
            if task.exception() is not None:
                _LOGGER.warning("No inline card for a story: %r", task.exception())
                continue
            results.append(task.result())
    await query.answer(
        results,
        cache_time=CACHE_SECONDS,
        is_personal=True,
        next_offset=str(offset + RESULTS_PER_PAGE) if more else None,
    )


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(InlineQueryHandler(inline_query))
