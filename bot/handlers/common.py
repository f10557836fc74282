"""Helpers shared by handlers: arguments, permissions in groups, keyboards from buttons."""

from __future__ import annotations

from collections.abc import Callable

from telegram import CallbackQuery, ChatMember, Update
from telegram.constants import ChatType

from bot.callbacks import Action, Button, decode
from bot.channels import acting_for
from bot.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    Translator,
    interface_language,
    resolve_language,
    translator,
)

# The general keyboard builder, here too because every handler module takes its helpers here.
from bot.keyboards import button_row, keyboard
from bot.services import NewsContext

__all__ = [
    "argument_text",
    "button_row",
    "can_change_chat",
    "chat_id_of",
    "keyboard",
    "matches",
    "open_button",
    "open_change_button",
    "translator_for",
]

EXPIRED = N_("This button has expired. Send the command again for fresh buttons.")

_ADMIN_STATUSES = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


def argument_text(context: NewsContext) -> str:
    """The words after the command, joined by single spaces."""
    return " ".join(context.args or ()).strip()


def chat_id_of(update: Update) -> int:
    """The id of the chat the update came from, or of the channel it manages (/channel)."""
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update without a chat")
    acting = acting_for()
    if acting is not None and acting.private_chat_id == chat.id:
        return acting.chat_id
    return chat.id


async def translator_for(update: Update, context: NewsContext) -> Translator:
    """The catalogue for the chat's language, looked up once per chat and then remembered.

    The chat's language is its /settings choice or the Telegram language of the user who first
    wrote; an unsupported one falls back to the current user's, then to English.
    """
    chat = update.effective_chat
    user = update.effective_user
    user_language = user.language_code if user is not None else None
    if chat is None:
        return translator(resolve_language(user_language))
    languages = context.services.languages
    language = languages.get(chat.id)
    if language is None:
        store = context.services.store
        stored = await store.chats.get(chat.id)
        language = resolve_language(stored.language if stored else None, user_language)
        if stored is not None and stored.language is None and interface_language(user_language):
            # A group the bot was added to is stored before anyone writes: it takes the
            # language of the first person the bot hears from, until /settings changes it.
            await store.chats.update(chat.id, language=language)
        languages.set(chat.id, language)
    return translator(language)


async def can_change_chat(update: Update, context: NewsContext) -> bool:
    """Anyone may change a private chat; in groups only administrators may."""
    chat = update.effective_chat
    if chat is None:
        return False
    if chat.type in (ChatType.PRIVATE, ChatType.CHANNEL):
        return True
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        # An anonymous administrator posts as the group itself.
        return message.sender_chat.id == chat.id
    user = update.effective_user
    if user is None:
        return False
    if user.id in context.services.settings.admin_ids:
        return True
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in _ADMIN_STATUSES


def matches(*actions: Action) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern accepting buttons with one of ``actions``."""

    def pattern(data: object) -> bool:
        button = decode(data) if isinstance(data, str) else None
        return button is not None and button.action in actions

    return pattern


async def open_button(
    update: Update, context: NewsContext | None = None
) -> tuple[CallbackQuery, Button] | None:
    """The press and its button; None (the press answered politely) when it is unusable.

    Telegram sends an inaccessible stub instead of the message when it was deleted or is too
    old to edit, so a button on it can neither be redrawn nor trusted to be current.
    """
    query = update.callback_query
    if query is None:
        return None
    button = decode(query.data)
    # PTB parses the stub as a Message dated 1970; is_accessible checks that date.
    if button is None or query.message is None or not query.message.is_accessible:
        t = (
            await translator_for(update, context)
            if context is not None
            else translator(DEFAULT_LANGUAGE)
        )
        await query.answer(t.gettext(EXPIRED))
        return None
    return query, button


async def open_change_button(
    update: Update, context: NewsContext, refusal: str
) -> tuple[CallbackQuery, Button, Translator] | None:
    """A usable press from someone allowed to change this chat, with the chat's translator.

    None when the press is stale (answered politely) or comes from a group member who is not
    an admin (answered with ``refusal``, an English text marked with ``N_``, as an alert).
    """
    opened = await open_button(update, context)
    if opened is None:
        return None
    query, button = opened
    t = await translator_for(update, context)
    if not await can_change_chat(update, context):
        await query.answer(t.gettext(refusal), show_alert=True)
        return None
    return query, button, t
