"""/previews on|off: whether stories this chat gets alone show their picture (link preview)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers.common import argument_text, can_change_chat, chat_id_of, translator_for
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext

__all__ = ["register"]


async def previews(update: Update, context: NewsContext) -> None:
    """Show or change whether single stories come with their picture."""
    t = await translator_for(update, context)
    chat_id = chat_id_of(update)
    pictures = context.services.store.pictures
    choice = argument_text(context).lower()
    if choice in ("on", "off"):
        if not await can_change_chat(update, context):
            await reply_html(update, t.gettext("Only the group's admins can change that."))
            return
        await pictures.set_previews(chat_id, choice == "on")
    elif choice:
        await reply_html(update, t.gettext("Send /previews on or /previews off."))
        return
    if not context.services.settings.previews:
        text = t.gettext("Pictures are switched off for this bot by its operator.")
    elif await pictures.previews_enabled(chat_id):
        text = t.gettext("Stories come with their picture. /previews off hides it.")
    else:
        text = t.gettext("Stories come without pictures. /previews on shows them.")
    await reply_html(update, text)


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler("previews", previews))
