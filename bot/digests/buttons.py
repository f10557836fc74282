"""The buttons under a digest: full summary, more like this, unfollow a topic (with undo).

They are ordinary ``bot.callbacks`` buttons. Digests sent before that carried data of their own
(``D<code>:<value>``); those presses still work for summaries and lists, and a stale unfollow
is answered politely.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.callbacks import Action, Button, decode, encode, resolve_topic, topic_argument
from bot.digests.formatting import DigestButton
from bot.formatting import SummaryCard, escape, headline_list, summary_card
from bot.handlers.common import (
    button_row,
    chat_id_of,
    keyboard,
    matches,
    open_button,
    open_change_button,
    translator_for,
)
from bot.i18n import N_, Translator
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext
from storage import Article, Headline

__all__ = ["DIGEST_ACTIONS", "callback_data", "parse_callback_data", "register"]

DIGEST_ACTIONS = (
    Action.DIGEST_SUMMARY,
    Action.MORE_LIKE_THIS,
    Action.UNFOLLOW,
    Action.FOLLOW_AGAIN,
)
# What "Full summary" gives: five to seven sentences, or the whole of a shorter article.
FULL_SUMMARY_SENTENCES = 6
_MORE_LIKE_THIS = 5
_LEGACY = re.compile(r"^D([smx]):(.*)$", re.DOTALL)
_LEGACY_ACTIONS = {"s": Action.DIGEST_SUMMARY, "m": Action.MORE_LIKE_THIS}
_ADMINS_ONLY = N_("Only this group's admins can change its topics.")


def callback_data(button: DigestButton) -> str:
    """The button's data; a topic too long for Telegram's 64 bytes becomes a short digest."""
    value = button.value
    if button.action in (Action.UNFOLLOW, Action.FOLLOW_AGAIN):
        value = topic_argument(button.action, value)
    return encode(Button(button.action, value))


def parse_callback_data(data: str | None) -> Button | None:
    """The digest button that ``data`` encodes, or None when it is not one."""
    button = decode(data)
    return button if button is not None and button.action in DIGEST_ACTIONS else None


async def _article(update: Update, context: NewsContext, argument: str) -> Article | None:
    """The article a button points to; None (answered politely) when it is gone or forged."""
    query = update.callback_query
    assert query is not None
    # The data comes from the client: only ASCII digits within SQLite's integer range are ids
    # ('²'.isdigit() is true but int('²') raises; a longer number overflows SQLite).
    is_id = argument.isascii() and argument.isdigit() and len(argument) <= 18
    article = await context.services.store.articles.get(int(argument)) if is_id else None
    if article is None:
        t = await translator_for(update, context)
        await query.answer(t.gettext("That story is no longer stored."))
    return article


async def full_summary_card(
    context: NewsContext, article: Article, time_zone: str, t: Translator
) -> str:
    """A longer summary than the digest's, with the link and related headlines."""
    services = context.services
    summary = await services.summarizer.summarize_text(
        article.text, sentences=FULL_SUMMARY_SENTENCES, title=article.title
    )
    card = SummaryCard(
        title=article.title,
        sentences=summary.sentences,
        url=article.url,
        source=article.source,
        published_at=article.published_at,
        related=await services.store.articles.related(article.id, limit=3),
        article_id=article.id,
    )
    return summary_card(card, time_zone=time_zone, t=t)


async def more_like_this(
    context: NewsContext, article: Article, time_zone: str, t: Translator
) -> str:
    """Stored stories related to the article, whole titles, or a note that there are none."""
    related = await context.services.store.articles.related(article.id, limit=_MORE_LIKE_THIS)
    if not related:
        return escape(t.gettext("Nothing else like “{title}” yet.").format(title=article.title))
    heading = t.gettext("More like “{title}”").format(title=article.title)
    headlines = [
        Headline(headline.article_id or 0, headline.title, headline.url, headline.source, None)
        for headline in related
    ]
    return headline_list(heading, headlines, time_zone=time_zone, t=t)


async def story_button(update: Update, context: NewsContext) -> None:
    """Answer "Full summary" or "More like this" under a digest story."""
    opened = await open_button(update, context)
    if opened is None:
        return
    _, button = opened
    await _story_action(update, context, button)


async def _story_action(update: Update, context: NewsContext, button: Button) -> None:
    query = update.callback_query
    assert query is not None
    article = await _article(update, context, button.argument)
    if article is None:
        return
    await query.answer()
    t = await translator_for(update, context)
    chat = await context.services.store.chats.get(chat_id_of(update))
    time_zone = chat.time_zone if chat else "UTC"
    if button.action is Action.DIGEST_SUMMARY:
        await reply_html(update, await full_summary_card(context, article, time_zone, t))
    else:
        await reply_html(update, await more_like_this(context, article, time_zone, t))


async def topic_button(update: Update, context: NewsContext) -> None:
    """Unfollow a digest's topic, offering Undo; or follow it again from that Undo."""
    opened = await open_change_button(update, context, _ADMINS_ONLY)
    if opened is None:
        return
    query, button, t = opened
    store = context.services.store
    chat_id = chat_id_of(update)
    current = await store.subscriptions.topics(chat_id)
    topic = resolve_topic(button.argument, current)
    if button.action is Action.FOLLOW_AGAIN:
        if topic is None:
            await query.answer(t.gettext("That suggestion has expired; send /subscribe again."))
            return
        await store.subscriptions.subscribe(chat_id, topic)
        await query.answer()
        await query.edit_message_text(
            escape(t.gettext("You follow {topic} again.").format(topic=topic))
        )
        return
    if topic is None or topic not in current:
        await query.answer(t.gettext("You no longer follow that topic."))
        return
    await store.subscriptions.unsubscribe(chat_id, topic)
    await query.answer()
    undo = Button(Action.FOLLOW_AGAIN, topic_argument(Action.FOLLOW_AGAIN, topic))
    await reply_html(
        update,
        escape(t.gettext("You no longer follow {topic}.").format(topic=topic)),
        reply_markup=keyboard(button_row([("↩️ " + t.gettext("Undo"), undo)])),
    )


async def legacy_button(update: Update, context: NewsContext) -> None:
    """A button of a digest sent before the common button format."""
    query = update.callback_query
    match = _LEGACY.match(query.data or "") if query else None
    if query is None or match is None:
        return
    action = _LEGACY_ACTIONS.get(match.group(1))
    if action is None:
        t = await translator_for(update, context)
        await query.answer(
            t.gettext("This button is from an older digest. /unsubscribe stops a topic.")
        )
        return
    await _story_action(update, context, Button(action, match.group(2)))


def register(application: NewsApplication) -> None:
    """Add the digest buttons' handlers; call before the catch-all stale-button handler."""
    application.add_handler(
        CallbackQueryHandler(
            story_button, pattern=matches(Action.DIGEST_SUMMARY, Action.MORE_LIKE_THIS)
        )
    )
    application.add_handler(
        CallbackQueryHandler(topic_button, pattern=matches(Action.UNFOLLOW, Action.FOLLOW_AGAIN))
    )
    application.add_handler(CallbackQueryHandler(legacy_button, pattern=_LEGACY))
