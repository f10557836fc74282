"""Button presses no other handler claims: stale, unknown or from an older format."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.handlers.common import EXPIRED, translator_for
from bot.services import NewsApplication, NewsContext

__all__ = ["register"]


async def stale_button(update: Update, context: NewsContext) -> None:
    """Answer politely so the button stops spinning."""
    if update.callback_query is not None:
        t = await translator_for(update, context)
        await update.callback_query.answer(t.gettext(EXPIRED))


def register(application: NewsApplication) -> None:
    """Add this module's handlers; call last so every other button handler comes first."""
    application.add_handler(CallbackQueryHandler(stale_button))
