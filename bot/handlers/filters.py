"""/mute, /unmute and /muted: words and phrases a chat never wants to see, and their buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.callbacks import Action, Button, resolve_topic, topic_argument
from bot.formatting import escape
from bot.handlers.common import (
    argument_text,
    button_row,
    can_change_chat,
    chat_id_of,
    keyboard,
    matches,
    open_change_button,
    translator_for,
)
from bot.i18n import N_, Translator
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext
from bot.topic_errors import topic_error_text
from storage import Article, Headline, InvalidTopicError
from storage.reader_controls import ReaderControls

__all__ = ["register", "without_muted_articles", "without_muted_headlines"]

_ADMINS_ONLY = N_("Only this group's admins can change what it mutes.")


def _controls(context: NewsContext) -> ReaderControls:
    return context.services.store.controls


async def without_muted_headlines(
    context: NewsContext, chat_id: int, headlines: list[Headline]
) -> list[Headline]:
    """``headlines`` without those the chat muted (by word or source), order kept."""
    controls = _controls(context)
    muted_filter = await controls.reader_filter(chat_id)
    hidden = await controls.muted_headlines(muted_filter, (h.id for h in headlines))
    return [headline for headline in headlines if headline.id not in hidden]


async def without_muted_articles(
    context: NewsContext, chat_id: int, articles: list[Article]
) -> list[Article]:
    """``articles`` without those the chat muted (by word or source), order kept."""
    controls = _controls(context)
    muted_filter = await controls.reader_filter(chat_id)
    hidden = await controls.muted_articles(muted_filter, (a.id for a in articles))
    return [article for article in articles if article.id not in hidden]


async def mute(update: Update, context: NewsContext) -> None:
    """Never show stories with a word or phrase in digests, /latest or /summary."""
    phrase = argument_text(context)
    t = await translator_for(update, context)
    if not phrase:
        await reply_html(
            update, t.gettext("Tell me what to hide, e.g. /mute football or /mute royal family.")
        )
        return
    if not await can_change_chat(update, context):
        await reply_html(update, t.gettext(_ADMINS_ONLY))
        return
    try:
        stored, added = await _controls(context).mute_word(chat_id_of(update), phrase)
    except InvalidTopicError as error:
        await reply_html(update, escape(topic_error_text(error, t)))
        return
    if not added:
        text = t.gettext("<b>{word}</b> is already muted. /muted lists all.")
    else:
        text = t.gettext(
            "Muted <b>{word}</b>: stories mentioning it will not reach this chat. "
            "/unmute brings them back."
        )
    await reply_html(update, text.format(word=escape(stored)))


def _unmute_keyboard(words: list[str]) -> list[list[tuple[str, Button]]]:
    return button_row(
        [
            (f"🔊 {word}", Button(Action.UNMUTE, topic_argument(Action.UNMUTE, word)))
            for word in words
        ]
    )


def _muted_text(words: list[str], t: Translator) -> str:
    if not words:
        return t.gettext("Nothing is muted. /mute football hides stories that mention football.")
    heading = t.gettext("<b>Muted in this chat</b>")
    return "\n".join([heading, *(f"• {escape(word)}" for word in words)])


async def unmute(update: Update, context: NewsContext) -> None:
    """Unmute a word; without one, offer buttons of the muted words."""
    phrase = argument_text(context)
    chat_id = chat_id_of(update)
    controls = _controls(context)
    t = await translator_for(update, context)
    if not phrase:
        words = await controls.muted_words(chat_id)
        if not words:
            await reply_html(update, _muted_text(words, t))
            return
        await reply_html(
            update,
            t.gettext("Which word should I unmute?"),
            reply_markup=keyboard(_unmute_keyboard(words)),
        )
        return
    if not await can_change_chat(update, context):
        await reply_html(update, t.gettext(_ADMINS_ONLY))
        return
    try:
        removed = await controls.unmute_word(chat_id, phrase)
    except InvalidTopicError as error:
        await reply_html(update, escape(topic_error_text(error, t)))
        return
    if removed:
        text = t.gettext("Unmuted <b>{word}</b>.").format(word=escape(phrase.lower()))
    else:
        text = t.gettext("<b>{word}</b> was not muted. /muted lists them.").format(
            word=escape(phrase)
        )
    await reply_html(update, text)


async def muted(update: Update, context: NewsContext) -> None:
    """List muted words, with buttons to unmute each."""
    t = await translator_for(update, context)
    words = await _controls(context).muted_words(chat_id_of(update))
    markup = keyboard(_unmute_keyboard(words)) if words else None
    await reply_html(update, _muted_text(words, t), reply_markup=markup)


async def unmute_button(update: Update, context: NewsContext) -> None:
    """Unmute a word from a button press and redraw the list."""
    opened = await open_change_button(update, context, _ADMINS_ONLY)
    if opened is None:
        return
    query, button, t = opened
    chat_id = chat_id_of(update)
    controls = _controls(context)
    words = await controls.muted_words(chat_id)
    word = resolve_topic(button.argument, words)
    if word is None or word not in words:
        await query.answer(t.gettext("That word is no longer muted."))
        return
    await controls.unmute_word(chat_id, word)
    await query.answer(t.gettext("Unmuted {word}").format(word=word)[:200])
    remaining = [name for name in words if name != word]
    await query.edit_message_text(
        _muted_text(remaining, t),
        reply_markup=keyboard(_unmute_keyboard(remaining)) if remaining else None,
    )


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler("mute", mute))
    application.add_handler(CommandHandler("unmute", unmute))
    application.add_handler(CommandHandler("muted", muted))
    application.add_handler(CallbackQueryHandler(unmute_button, pattern=matches(Action.UNMUTE)))
