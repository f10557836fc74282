"""/subscribe, /unsubscribe and /topics, and their buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
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
from bot.handlers.preferences import subscribe_offering_schedule
from bot.i18n import N_, Translator
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext
from bot.topic_errors import topic_error_text
from storage import InvalidTopicError
from storage.topics import canonical_topic

__all__ = ["register", "topics_keyboard"]

_ADMINS_ONLY = N_("Only this group's admins can change its topics.")


async def subscribe(update: Update, context: NewsContext) -> None:
    """Follow a topic; without one, offer buttons of topics in recent news."""
    topic = argument_text(context)
    store = context.services.store
    t = await translator_for(update, context)
    if not topic:
        suggestions = await store.subscriptions.suggested(limit=8)
        if not suggestions:
            await reply_html(update, t.gettext("Tell me what to follow, e.g. /subscribe climate."))
            return
        buttons = [
            (name, Button(Action.SUBSCRIBE, topic_argument(Action.SUBSCRIBE, name)))
            for name in suggestions
        ]
        await reply_html(
            update,
            t.gettext("Which topic? Tap one, or send /subscribe followed by any word or phrase."),
            reply_markup=keyboard(button_row(buttons)),
        )
        return
    if not await can_change_chat(update, context):
        await reply_html(update, t.gettext(_ADMINS_ONLY))
        return
    text, markup = await _subscribe(update, context, chat_id_of(update), topic, t)
    await reply_html(update, text, reply_markup=markup)


async def _subscribe(
    update: Update, context: NewsContext, chat_id: int, topic: str, t: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Follow ``topic``: the reply, and on a chat's first subscription its schedule buttons."""
    try:
        # Confirm the topic as it is stored (lower case, spaces collapsed, length capped);
        # an expression (ukraine -football) that cannot be read is refused with what to fix.
        topic = canonical_topic(topic, strict=True)
        added, offer = await subscribe_offering_schedule(update, context, chat_id, topic, t)
    except InvalidTopicError as error:
        return escape(topic_error_text(error, t)), None
    if not added:
        text = t.gettext("You already follow <b>{topic}</b>. /topics shows all your topics.")
        return text.format(topic=escape(topic)), None
    text = t.gettext(
        "Subscribed to <b>{topic}</b>. /digest shows what is new; /schedule sets a daily time."
    ).format(topic=escape(topic))
    if offer is None:
        return text, None
    schedule_text, markup = offer
    return f"{text}\n\n{schedule_text}", markup


async def unsubscribe(update: Update, context: NewsContext) -> None:
    """Stop following a topic; without one, offer buttons of my topics."""
    topic = argument_text(context)
    chat_id = chat_id_of(update)
    store = context.services.store
    t = await translator_for(update, context)
    if not topic:
        topics = await store.subscriptions.topics(chat_id)
        if not topics:
            await reply_html(update, t.gettext("You follow no topics yet. Try /subscribe climate."))
            return
        buttons = [
            (f"✖ {name}", Button(Action.UNSUBSCRIBE, topic_argument(Action.UNSUBSCRIBE, name)))
            for name in topics
        ]
        await reply_html(
            update,
            t.gettext("Which topic should I drop?"),
            reply_markup=keyboard(button_row(buttons)),
        )
        return
    if not await can_change_chat(update, context):
        await reply_html(update, t.gettext(_ADMINS_ONLY))
        return
    removed = await store.subscriptions.unsubscribe(chat_id, topic)
    if removed:
        text = t.gettext("Unsubscribed from <b>{topic}</b>.")
    else:
        text = t.gettext("You were not following <b>{topic}</b>. /topics shows your topics.")
    await reply_html(update, text.format(topic=escape(topic)))


def topics_keyboard(topics: list[str], t: Translator) -> list[list[tuple[str, Button]]]:
    """One row per topic: remove it; then a row to get the digest now."""
    rows = [
        [(f"✖ {name}", Button(Action.UNSUBSCRIBE, topic_argument(Action.UNSUBSCRIBE, name)))]
        for name in topics
    ]
    rows.append([("📰 " + t.gettext("Digest now"), Button(Action.DIGEST_NOW))])
    return rows


def _topics_text(topics: list[str], t: Translator) -> str:
    if not topics:
        return t.gettext("You follow no topics. Try /subscribe climate.")
    lines = [t.gettext("<b>Your topics</b>"), *(f"• {escape(name)}" for name in topics)]
    return "\n".join(lines)


async def topics(update: Update, context: NewsContext) -> None:
    """List my topics with buttons to remove one or get a digest now."""
    t = await translator_for(update, context)
    names = await context.services.store.subscriptions.topics(chat_id_of(update))
    markup = keyboard(topics_keyboard(names, t)) if names else None
    await reply_html(update, _topics_text(names, t), reply_markup=markup)


async def topic_button(update: Update, context: NewsContext) -> None:
    """Subscribe or unsubscribe from a button press."""
    opened = await open_change_button(update, context, _ADMINS_ONLY)
    if opened is None:
        return
    query, button, t = opened
    chat_id = chat_id_of(update)
    store = context.services.store
    current = await store.subscriptions.topics(chat_id)
    if button.action is Action.SUBSCRIBE:
        suggestions = await store.subscriptions.suggested(limit=8)
        topic = resolve_topic(button.argument, [*suggestions, *current])
        if topic is None:
            await query.answer(t.gettext("That suggestion has expired; send /subscribe again."))
            return
        await query.answer()
        text, markup = await _subscribe(update, context, chat_id, topic, t)
        await reply_html(update, text, reply_markup=markup)
        return
    topic = resolve_topic(button.argument, current)
    if topic is None or topic not in current:
        await query.answer(t.gettext("You no longer follow that topic."))
        return
    await store.subscriptions.unsubscribe(chat_id, topic)
    await query.answer(t.gettext("Unsubscribed from {topic}").format(topic=topic)[:200])
    remaining = [name for name in current if name != topic]
    # Refresh the list in place so the remaining buttons stay valid.
    await query.edit_message_text(
        _topics_text(remaining, t),
        reply_markup=keyboard(topics_keyboard(remaining, t)) if remaining else None,
    )


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler("subscribe", subscribe))
    application.add_handler(CommandHandler("unsubscribe", unsubscribe))
    application.add_handler(CommandHandler("topics", topics))
    application.add_handler(
        CallbackQueryHandler(topic_button, pattern=matches(Action.SUBSCRIBE, Action.UNSUBSCRIBE))
    )
