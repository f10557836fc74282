"""/latest, /digest and the "Digest now" button."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.callbacks import Action
from bot.digest_now import reply_with_digest
from bot.formatting import escape, headline_list
from bot.handlers.common import (
    argument_text,
    can_change_chat,
    chat_id_of,
    matches,
    open_button,
    translator_for,
)
from bot.handlers.filters import without_muted_headlines
from bot.handlers.sources import followed_headlines
from bot.i18n import N_
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext
from storage import Headline

__all__ = ["register"]

_HEADLINES = 10
_NO_DIGEST = N_(
    "Nothing to show yet: follow a topic with /subscribe climate, "
    "or see /latest for everything new."
)

# A digest now logs its stories as delivered, so a member's /digest in a group would take them
# from the admins' scheduled digest: in groups only admins may ask (docs/digests.md).
_DIGEST_ADMINS_ONLY = N_(
    "In a group only its admins can ask for the digest now, so the scheduled digest keeps its "
    "stories. In a private chat with me, /digest gives you your own."
)


async def latest(update: Update, context: NewsContext) -> None:
    """Newest headlines for a topic, for my topics, or overall."""
    store = context.services.store
    chat_id = chat_id_of(update)
    t = await translator_for(update, context)
    topic = argument_text(context)
    if topic:
        headlines = await store.latest_headlines(topic=topic, limit=_HEADLINES * 3)
        heading = t.gettext("Latest on {topic}").format(topic=topic)
    else:
        topics = await store.list_subscriptions(chat_id)
        followed = await followed_headlines(context, chat_id, limit=_HEADLINES * 3)
        headlines = await _latest_for_topics(
            context, topics, limit=_HEADLINES * 3, followed=followed
        )
        mine = topics or followed
        heading = t.gettext("Latest for your topics") if mine else t.gettext("Latest news")
    # Muted words and sources are dropped from a longer list, so ten usually remain.
    headlines = (await without_muted_headlines(context, chat_id, headlines))[:_HEADLINES]
    if not headlines:
        if topic:
            text = t.gettext(
                "No headlines about “{topic}” yet. Try another word, or /latest without one."
            ).format(topic=escape(topic[:80]))
        else:
            text = t.gettext("No headlines yet. Try another word, or /latest without one.")
        await reply_html(update, text)
        return
    chat = await store.get_chat(chat_id)
    await reply_html(
        update,
        headline_list(heading, headlines, time_zone=chat.time_zone if chat else "UTC", t=t),
    )


async def _latest_for_topics(
    context: NewsContext, topics: list[str], *, limit: int, followed: list[Headline]
) -> list[Headline]:
    store = context.services.store
    if not topics and not followed:
        return await store.latest_headlines(limit=limit)
    merged: dict[str, Headline] = {}
    for topic in topics:
        for headline in await store.latest_headlines(topic=topic, limit=limit):
            merged.setdefault(headline.title.casefold(), headline)
    # Followed sources count as topics.
    for headline in followed:
        merged.setdefault(headline.title.casefold(), headline)
    # Undated headlines sort last; the store's own order is kept among equals.
    return sorted(
        merged.values(),
        key=lambda headline: headline.published_at.timestamp() if headline.published_at else 0.0,
        reverse=True,
    )[:limit]


async def digest(update: Update, context: NewsContext) -> None:
    """My digest now."""
    t = await translator_for(update, context)
    if not await can_change_chat(update, context):
        await reply_html(update, t.gettext(_DIGEST_ADMINS_ONLY))
        return
    if not await reply_with_digest(update, context.services, chat_id_of(update)):
        await reply_html(update, t.gettext(_NO_DIGEST))


async def digest_button(update: Update, context: NewsContext) -> None:
    """The "Digest now" button under /topics."""
    opened = await open_button(update, context)
    if opened is None:
        return
    query, _ = opened
    t = await translator_for(update, context)
    if not await can_change_chat(update, context):
        await query.answer(t.gettext(_DIGEST_ADMINS_ONLY), show_alert=True)
        return
    await query.answer()
    if not await reply_with_digest(update, context.services, chat_id_of(update)):
        await reply_html(update, t.gettext(_NO_DIGEST))


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler("latest", latest))
    application.add_handler(CommandHandler("digest", digest))
    application.add_handler(CallbackQueryHandler(digest_button, pattern=matches(Action.DIGEST_NOW)))
