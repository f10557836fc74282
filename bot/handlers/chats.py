"""Keeping the chat record current: seen chats are active again; removals mark them inactive."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.ext import ChatMemberHandler, TypeHandler

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
    store = context.services.store
    # A read on the reader pool first: writing on every update would queue every command
    # behind the single database writer (200 pending /summary made /help wait for them).
    known = await store.get_chat(chat.id)
    if known is not None and known.active:
        return
    user = update.effective_user
    await store.ensure_chat(chat.id, kind=chat.type, language=user.language_code if user else None)


async def membership_changed(update: Update, context: NewsContext) -> None:
    """Mark a chat inactive when the bot is blocked or removed, active when added back."""
    change = update.my_chat_member
    if change is None:
        return
    status = change.new_chat_member.status
    chat_id = change.chat.id
    active = status not in (ChatMember.BANNED, ChatMember.LEFT)
    _LOGGER.info("Bot membership in chat %s is now %s", chat_id, status)
    if active:
        await context.services.store.ensure_chat(chat_id, kind=change.chat.type)
    else:
        await context.services.store.set_chat_active(chat_id, False)


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(TypeHandler(Update, remember_chat), group=_BEFORE_ALL)
    application.add_handler(ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))
