"""/start (with deep links), /help and /stop."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CommandHandler

from bot.commands import help_text
from bot.formatting import escape
from bot.handlers.common import can_change_chat, chat_id_of, translator_for
from bot.handlers.preferences import subscribe_offering_schedule
from bot.i18n import N_
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext
from bot.topic_errors import topic_error_text
from storage import InvalidTopicError

__all__ = ["register"]

# Deep-link payloads may only use A-Z, a-z, 0-9, _ and -, so spaces travel as underscores.
_TOPIC_PAYLOAD = re.compile(r"^topic_([A-Za-z0-9_-]{1,58})$")

_WELCOME = N_(
    "<b>Hello! I read the news for you.</b>\n\n"
    "Follow a topic with /subscribe, e.g. /subscribe climate, and I will send you short "
    "summaries of what is new. Try /latest for headlines or /summary for the newest story.\n\n"
    "/help lists everything I can do."
)


async def start(update: Update, context: NewsContext) -> None:
    """Greet, resume sending if paused, and follow a topic given by a deep link."""
    services = context.services
    t = await translator_for(update, context)
    chat_id = chat_id_of(update)
    chat = await services.store.chats.get(chat_id)
    if chat is not None and chat.paused and await can_change_chat(update, context):
        await services.store.chats.update(chat_id, paused=False)
    match = _TOPIC_PAYLOAD.match(context.args[0]) if context.args else None
    if match is None:
        await reply_html(update, t.gettext(_WELCOME))
        return
    topic = match.group(1).replace("_", " ").strip()
    if not await can_change_chat(update, context):
        await reply_html(update, t.gettext("Only this group's admins can change its topics."))
        return
    try:
        _, offer = await subscribe_offering_schedule(
            update, context, chat_id, topic, t, offer_when_followed=True
        )
    except InvalidTopicError as error:
        await reply_html(update, escape(topic_error_text(error, t)))
        return
    text = t.gettext(
        "<b>Welcome!</b> You now follow <b>{topic}</b>.\n\n"
        "Try /summary for the newest story, or /help for everything else."
    ).format(topic=escape(topic))
    if offer is None:
        await reply_html(update, text)
        return
    schedule_text, markup = offer
    await reply_html(update, f"{text}\n\n{schedule_text}", reply_markup=markup)


async def help_command(update: Update, context: NewsContext) -> None:
    """List the commands with one-line examples."""
    await reply_html(update, help_text(await translator_for(update, context)))


async def stop(update: Update, context: NewsContext) -> None:
    """Pause all unprompted sending to this chat."""
    t = await translator_for(update, context)
    if not await can_change_chat(update, context):
        await reply_html(update, t.gettext("Only this group's admins can pause me here."))
        return
    await context.services.store.chats.update(chat_id_of(update), paused=True)
    await reply_html(
        update,
        t.gettext(
            "Paused: I will send nothing until you write /start. "
            "Your topics are kept; /forget deletes them."
        ),
    )


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("stop", stop))
