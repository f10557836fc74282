"""The digest's answers in a chat: /digest's messages, and presses of the digest's buttons.

/digest sends the scheduled digest's own messages, split between stories, each with the buttons
of its stories (full summary, more like this, mute topic). Each message's articles are written
to the delivery log right before it is sent, so the next scheduled digest does not repeat them;
a message Telegram refuses is taken back out of the log. The scheduled digest's window is left
as it is.

Digests sent before the common button format carried data of their own (``D<code>:<value>``);
those presses still work for summaries and lists, and a stale unfollow is answered politely.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot.callbacks import Action, Button, resolve_topic, topic_argument
from bot.digests.delivery import digest_keyboard
from bot.digests.now import build_digest_now
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
from bot.i18n import N_, Translator, resolve_language, translator
from bot.pictures import NO_PREVIEW, top_story_preview
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext, Services
from storage import Article, Headline

__all__ = ["NOTHING_NEW", "register", "reply_with_digest"]

NOTHING_NEW = N_(
    "Nothing new on your topics since your last digest. /latest shows the newest headlines."
)
# What "Full summary" gives: five to seven sentences, or the whole of a shorter article.
FULL_SUMMARY_SENTENCES = 6
_MORE_LIKE_THIS = 5
_LEGACY = re.compile(r"^D([smx]):(.*)$", re.DOTALL)
_LEGACY_ACTIONS = {"s": Action.DIGEST_SUMMARY, "m": Action.MORE_LIKE_THIS}
_ADMINS_ONLY = N_("Only this group's admins can change its topics.")


async def reply_with_digest(
    update: Update, services: Services, chat_id: int, *, now: datetime | None = None
) -> bool:
    """Answer ``update`` with the chat's digest messages; False (nothing sent) without topics."""
    now = now or datetime.now(UTC)
    digest = await build_digest_now(services, chat_id, now=now)
    if digest is None:
        return False
    if not digest.messages:
        t = translator(resolve_language(digest.chat.language))
        await reply_html(update, t.gettext(NOTHING_NEW))
        return True
    queries = services.store.digests
    preview = await top_story_preview(
        services.store, chat_id, digest.messages[0].article_ids, enabled=services.settings.previews
    )
    for index, message in enumerate(digest.messages):
        await queries.record_deliveries(chat_id, message.article_ids, now)
        try:
            # Each message already fits Telegram's limit as Telegram counts it (after parsing),
            # so it is sent whole: the general splitter counts the HTML and would cut it.
            if update.effective_message is not None:
                await update.effective_message.reply_html(
                    message.text,
                    reply_markup=digest_keyboard(message.buttons),
                    link_preview_options=preview if index == 0 else NO_PREVIEW,
                )
        except TelegramError:
            # Not sent: its stories stay for the next digest, as with a scheduled message.
            await queries.forget_deliveries(chat_id, message.article_ids)
            raise
    return True


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
