"""Keeping the chat record current: seen chats are active again; removals mark them inactive."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.ext import ChatMemberHandler, TypeHandler

from bot.i18n import resolve_language
from bot.services import NewsApplication, NewsContext

__all__ = ["register"]

_LOGGER = logging.getLogger(__name__)

# Runs before every other group so a chat that writes again is active before it is served.
_BEFORE_ALL = -1


async def remember_chat(update: Update, context: NewsContext) -> None:
    """Create the chat on first contact and reactivate it when it writes again."""
    chat = update.effective_chat
    if chat is None or update.my_chat_member is not None:
        return
    services = context.services
    # Most updates come from chats seen minutes ago; skipping the database for them keeps
    # cheap commands like /help from queueing behind the reads and writes of slow ones.
    if services.seen.fresh(chat.id):
        return
    user = update.effective_user
    user_language = user.language_code if user else None
    known = await services.store.chats.get(chat.id)
    if known is None or not known.active:
        known = await services.store.chats.ensure(chat.id, kind=chat.type, language=user_language)
    if known.language is not None:
        # The record is at hand: the handler's reply need not read it again for its language
        # (a first contact's /help then costs one read and one write, however busy the readers).
        services.languages.set(chat.id, resolve_language(known.language, user_language))
    services.seen.mark(chat.id)


async def membership_changed(update: Update, context: NewsContext) -> None:
    """Mark a chat inactive when the bot is blocked or removed, active when added back."""
    change = update.my_chat_member
    if change is None:
        return
    status = change.new_chat_member.status
    chat_id = change.chat.id
    active = status not in (ChatMember.BANNED, ChatMember.LEFT)
    _LOGGER.info("Bot membership in chat %s is now %s", chat_id, status)
    context.services.seen.forget(chat_id)
    if active:
        await context.services.store.chats.ensure(chat_id, kind=change.chat.type)
    else:
        await context.services.store.chats.set_active(chat_id, False)


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(TypeHandler(Update, remember_chat), group=_BEFORE_ALL)
    application.add_handler(ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))
