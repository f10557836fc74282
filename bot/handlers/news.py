"""/latest with its Older/Newer buttons, /digest and the "Digest now" button."""

from __future__ import annotations

import time

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.callbacks import (
    MAX_CALLBACK_BYTES,
    Action,
    Button,
    encoded_size,
    resolve_topic,
    topic_argument,
)
from bot.formatting import escape, headline_list
from bot.handlers.common import (
    argument_text,
    can_change_chat,
    chat_id_of,
    keyboard,
    matches,
    open_button,
    translator_for,
)
from bot.handlers.digests import reply_with_digest
from bot.handlers.filters import without_muted_headlines
from bot.handlers.sources import followed_headlines
from bot.i18n import N_, Translator
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
    """Newest headlines for a topic, for my topics, or overall, with Older/Newer buttons."""
    chat_id = chat_id_of(update)
    t = await translator_for(update, context)
    topic = argument_text(context)
    page = await _latest_page(context, chat_id, topic, page=0, anchor=None, t=t)
    if page is None:
        if topic:
            text = t.gettext(
                "No headlines about “{topic}” yet. Try another word, or /latest without one."
            ).format(topic=escape(topic[:80]))
        else:
            text = t.gettext("No headlines yet. Try another word, or /latest without one.")
        await reply_html(update, text)
        return
    text, markup = page
    await reply_html(update, text, reply_markup=markup)


async def latest_page_button(update: Update, context: NewsContext) -> None:
    """ "Older ›" / "‹ Newer": the same list a page further, edited in place."""
    opened = await open_button(update, context)
    if opened is None:
        return
    query, button = opened
    t = await translator_for(update, context)
    number, _, rest = button.argument.partition(":")
    anchor, _, topic_argument_text = rest.partition(":")
    topic = resolve_topic(
        topic_argument_text, await context.services.store.subscriptions.topics(chat_id_of(update))
    )
    page = None
    if number.isascii() and number.isdigit() and anchor.isascii() and anchor.isalnum():
        page = await _latest_page(
            context,
            chat_id_of(update),
            topic or "",
            page=int(number),
            anchor=int(anchor, 36),
            t=t,
        )
    if page is None or (topic_argument_text and topic is None):
        await query.answer(t.gettext("That list has changed. Send /latest again."))
        return
    await query.answer()
    text, markup = page
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        # Two quick presses of one button ask for the same page twice.
        if "not modified" not in str(error).lower():
            raise


async def _latest_page(
    context: NewsContext,
    chat_id: int,
    topic: str,
    *,
    page: int,
    anchor: int | None,
    t: Translator,
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """Page ``page`` (ten headlines) of the list as it stood at ``anchor`` (Unix seconds).

    Headlines published after the first page was shown are left out, so paging back and forth
    shows the same items however much news arrived since; the buttons carry the page number,
    the anchor and the topic, and so stay valid across restarts. The first page (``anchor``
    None) anchors at now, or at its newest headline if a feed dates one in the future.
    """
    store = context.services.store
    wanted = (page + 1) * _HEADLINES + 1  # one more, to know whether there is an older page
    if topic:
        headlines = await store.articles.latest_headlines(topic=topic, limit=wanted * 3)
        heading = t.gettext("Latest on {topic}").format(topic=topic)
    else:
        topics = await store.subscriptions.topics(chat_id)
        followed = await followed_headlines(context, chat_id, limit=wanted * 3)
        headlines = await _latest_for_topics(context, topics, limit=wanted * 3, followed=followed)
        mine = topics or followed
        heading = t.gettext("Latest for your topics") if mine else t.gettext("Latest news")
    dates = [int(h.published_at.timestamp()) for h in headlines if h.published_at is not None]
    if anchor is None:
        anchor = max([int(time.time()), *dates])
    headlines = [
        headline
        for headline in headlines
        if headline.published_at is None or headline.published_at.timestamp() <= anchor
    ]
    # Muted words and sources are dropped from a longer list, so ten usually remain.
    headlines = (await without_muted_headlines(context, chat_id, headlines))[:wanted]
    shown = headlines[page * _HEADLINES : (page + 1) * _HEADLINES]
    if not shown:
        return None
    chat = await store.chats.get(chat_id)
    text = headline_list(heading, shown, time_zone=chat.time_zone if chat else "UTC", t=t)
    buttons: list[tuple[str, Button]] = []
    topic_part = topic_argument(Action.LATEST_PAGE, topic) if topic else ""
    for label, target in ((t.gettext("‹ Newer"), page - 1), (t.gettext("Older ›"), page + 1)):
        if target < 0 or (target > page and len(headlines) <= (page + 1) * _HEADLINES):
            continue
        argument = f"{target}:{_base36(anchor)}:{topic_part}"
        if encoded_size(Action.LATEST_PAGE, argument) <= MAX_CALLBACK_BYTES:
            buttons.append((label, Button(Action.LATEST_PAGE, argument)))
    return text, keyboard([buttons]) if buttons else None


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
        if number == 0:
            return text


async def _latest_for_topics(
    context: NewsContext, topics: list[str], *, limit: int, followed: list[Headline]
) -> list[Headline]:
    store = context.services.store
    if not topics and not followed:
        return await store.articles.latest_headlines(limit=limit)
    merged: dict[str, Headline] = {}
    for topic in topics:
        for headline in await store.articles.latest_headlines(topic=topic, limit=limit):
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
    application.add_handler(
        CallbackQueryHandler(latest_page_button, pattern=matches(Action.LATEST_PAGE))
    )
