"""The one error handler: log with context first, then tell the user briefly."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.i18n import N_, resolve_language, translator
from bot.services import NewsContext

__all__ = ["on_error"]

_LOGGER = logging.getLogger(__name__)

_SORRY = N_("Sorry, something went wrong on my side. Please try again in a moment.")


async def on_error(update: object, context: NewsContext) -> None:
    """Log an unhandled error; mark blocked chats inactive; apologise without details."""
    error = context.error
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, Forbidden) and chat is not None:
        _LOGGER.info("Chat %s blocked the bot or removed it; marking it inactive", chat.id)
        context.services.seen.forget(chat.id)
        await context.services.store.chats.set_active(chat.id, False)
        raise ApplicationHandlerStop  # the chat is gone: the update's other handlers would fail too
    # Ids, not texts: user messages stay out of the logs.
    update_id = update.update_id if isinstance(update, Update) else None
    _LOGGER.error(
        "Unhandled error in update %s (chat %s)",
        update_id,
        chat.id if chat else None,
        exc_info=error,
    )
    if not isinstance(update, Update):
        return
    # No database read here (it may be what failed): the remembered or the user's language.
    user = update.effective_user
    language = resolve_language(
        context.services.languages.get(chat.id) if chat else None,
        user.language_code if user else None,
    )
    sorry = translator(language).gettext(_SORRY)
    # The apology is best effort: if Telegram itself is failing, logging above is all we can do.
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await update.callback_query.answer(sorry, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(sorry)
    # The update is finished: without this PTB hands it to the next handler group, which
    # (a read-only database failing every group) served one message twice, two apologies.
    raise ApplicationHandlerStop
