"""Who may use the bot (NEWSBOT_ACCESS): a gate in front of every other handler.

``open`` lets everyone in. ``allowlist`` admits NEWSBOT_ALLOWED_USERS and NEWSBOT_ADMIN_IDS
plus whoever an admin ``/allow``s. ``approval`` admits the same, and a stranger's first
message asks the admins with Approve/Deny buttons. A refused update gets one polite line and
stops here, before the chat bookkeeping, so nothing is stored about a stranger. A group or
channel is served once an allowed user added the bot to it or administers it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from telegram import (
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.callbacks import Action, Button, decode, encode
from bot.formatting import escape
from bot.i18n import DEFAULT_LANGUAGE, N_, resolve_language, translator
from bot.services import NewsApplication, NewsContext
from bot.settings import Settings
from storage.access import AccessList, normalise_username

__all__ = ["ACCESS_GROUP", "AccessGate", "access_list", "is_admin", "register", "user_label"]

_LOGGER = logging.getLogger(__name__)

# After the flood guard (a stranger's flood is dropped before it costs a database read) and
# before the chat bookkeeping (-1), which would otherwise store a refused chat.
ACCESS_GROUP = -50
# A refused person hears the polite line at most this often; more would be a reply to spam.
NOTICE_INTERVAL = 3600.0
# A group whose admins include no allowed user is asked about again after this long.
GROUP_RECHECK = 600.0
_ADMIN_STATUSES = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)

REFUSED = N_("Sorry, this bot is private. Ask its owner to add you.")
WAITING = N_("I have asked the bot's admins to let you in; I will tell you when they decide.")
STILL_WAITING = N_("Your request is still with the bot's admins.")
GROUP_REFUSED = N_(
    "Sorry, this bot is private: a group can use it once someone allowed to use the bot "
    "adds it or is an admin here."
)
APPROVED = N_("You can use the bot now. Send /start to begin.")
ASK_ADMINS = N_("{user} asks to use the bot.")
APPROVE = N_("Approve")
DENY = N_("Deny")


def is_admin(settings: Settings, user: User | None) -> bool:
    """One of NEWSBOT_ADMIN_IDS."""
    return user is not None and user.id in settings.admin_ids


def access_list(context: NewsContext) -> AccessList:
    """The access decisions in the bot's database."""
    return context.services.store.access


def user_label(user_id: int | None, username: str | None, name: str | None = None) -> str:
    """How admins see a person: "Alice (@alice, 1001)", escaped for HTML."""
    details = ", ".join(
        part for part in (f"@{username}" if username else "", str(user_id or "")) if part
    )
    return escape(f"{name} ({details})" if name else details)


class AccessGate:
    """The decision for each update, with the little it remembers in memory only."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._notified: dict[int, float] = {}
        self._asked: set[int] = set()
        self._refused_groups: dict[int, float] = {}
        self._seen: dict[int, float] = {}

    async def user_allowed(self, context: NewsContext, user: User) -> bool | None:
        """True or False when decided; None for a stranger nobody has decided about."""
        settings = context.services.settings
        if user.id in settings.admin_ids:
            return True
        entry = await access_list(context).lookup(user.id, user.username)
        if entry is not None:
            return entry.allowed
        if user.id in settings.allowed_user_ids:
            return True
        name = normalise_username(user.username)
        return True if name is not None and name in settings.allowed_usernames else None

    async def check(self, update: Update, context: NewsContext) -> None:
        """Let the update through, or answer politely and stop every later handler."""
        settings = context.services.settings
        if settings.access == "open":
            return
        chat = update.effective_chat
        user = update.effective_user
        if update.my_chat_member is not None:
            await self._membership(update, context)
            return
        if user is not None and await self._approval_press(update, context, user):
            raise ApplicationHandlerStop
        allowed = await self.user_allowed(context, user) if user is not None else None
        if allowed:
            assert user is not None
            await self._mark_seen(context, user)
        if chat is None or chat.type == ChatType.PRIVATE or update.inline_query is not None:
            if allowed:
                return
            if user is not None:
                await self._refuse_person(update, context, user, denied=allowed is False)
            raise ApplicationHandlerStop
        if await self._chat_allowed(context, chat.id):
            return
        await self._refuse_group(update, context, chat.id)
        raise ApplicationHandlerStop

    async def _mark_seen(self, context: NewsContext, user: User) -> None:
        now = self._clock()
        if now - self._seen.get(user.id, -NOTICE_INTERVAL) < NOTICE_INTERVAL:
            return
        self._seen[user.id] = now
        await access_list(context).seen(user.id, user.username)

    async def _membership(self, update: Update, context: NewsContext) -> None:
        """The bot was added to a group or channel: allowed if the one who added it is."""
        change = update.my_chat_member
        assert change is not None
        if change.new_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED):
            return
        if await self.user_allowed(context, change.from_user):
            await access_list(context).decide(
                allowed=True, subject_id=change.chat.id, decided_by=change.from_user.id
            )
            self._refused_groups.pop(change.chat.id, None)
            return
        if await self._chat_allowed(context, change.chat.id):
            return
        _LOGGER.info("A stranger added the bot to chat %s; not serving it", change.chat.id)
        raise ApplicationHandlerStop

    async def _chat_allowed(self, context: NewsContext, chat_id: int) -> bool:
        """Allowed before, or administered by an allowed user (checked now and remembered)."""
        entry = await access_list(context).lookup(chat_id)
        if entry is not None:
            return entry.allowed
        refused_at = self._refused_groups.get(chat_id)
        if refused_at is not None and self._clock() - refused_at < GROUP_RECHECK:
            return False
        try:
            admins = await context.bot.get_chat_administrators(chat_id)
        except TelegramError as error:
            _LOGGER.info("Cannot list the admins of chat %s: %s", chat_id, error)
            admins = ()
        for admin in admins:
            if admin.status in _ADMIN_STATUSES and await self.user_allowed(context, admin.user):
                await access_list(context).decide(
                    allowed=True, subject_id=chat_id, decided_by=admin.user.id
                )
                return True
        self._refused_groups[chat_id] = self._clock()
        return False

    def _may_notify(self, key: int) -> bool:
        now = self._clock()
        if now - self._notified.get(key, -NOTICE_INTERVAL) < NOTICE_INTERVAL:
            return False
        if len(self._notified) > 50_000:
            self._notified.clear()
        self._notified[key] = now
        return True

    async def _refuse_person(
        self, update: Update, context: NewsContext, user: User, *, denied: bool
    ) -> None:
        if update.inline_query is not None:
            # An inline query has no chat to answer in: an empty list says nothing about why.
            await update.inline_query.answer([], cache_time=0, is_personal=True)
            return
        t = translator(resolve_language(user.language_code))
        settings = context.services.settings
        if settings.access == "approval" and not denied:
            if user.id not in self._asked:
                self._asked.add(user.id)
                self._notified[user.id] = self._clock()
                await _ask_admins(context, user)
                await _tell(update, t.gettext(WAITING))
            elif self._may_notify(user.id):
                await _tell(update, t.gettext(STILL_WAITING))
            return
        if self._may_notify(user.id):
            await _tell(update, t.gettext(REFUSED))

    async def _refuse_group(self, update: Update, context: NewsContext, chat_id: int) -> None:
        if update.effective_message is None or not self._may_notify(chat_id):
            if update.callback_query is not None:
                await update.callback_query.answer()
            return
        user = update.effective_user
        t = translator(resolve_language(user.language_code if user else None))
        await _tell(update, t.gettext(GROUP_REFUSED))

    async def _approval_press(self, update: Update, context: NewsContext, user: User) -> bool:
        """An admin's Approve/Deny press: decide, tell the person, redraw the request."""
        query = update.callback_query
        button = decode(query.data) if query is not None else None
        if query is None or button is None or button.action is not Action.ACCESS:
            return False
        if not is_admin(context.services.settings, user):
            await query.answer()
            return True
        verdict, _, subject = button.argument.partition(":")
        # The person's language rides on the button (nothing is stored about a stranger).
        subject, _, language = subject.partition(":")
        if verdict not in ("a", "d") or not subject.isdigit():
            await query.answer()
            return True
        allowed = verdict == "a"
        await access_list(context).decide(
            allowed=allowed, subject_id=int(subject), decided_by=user.id
        )
        self._asked.discard(int(subject))
        t = translator(resolve_language(user.language_code))
        await query.answer()
        if isinstance(query.message, Message):
            verdict_text = t.gettext("Approved.") if allowed else t.gettext("Denied.")
            await query.edit_message_text(
                f"{escape(query.message.text or '')}\n{verdict_text}", reply_markup=None
            )
        if allowed:
            await notify_allowed(context, int(subject), language=language or None)
        return True


async def notify_allowed(
    context: NewsContext, user_id: int, *, language: str | None = None
) -> None:
    """Tell a person, in their language, they may use the bot now (if they ever wrote to it).

    Their language is the one Telegram reported when they asked (``language``), else their
    chat's stored one (they used the bot before), else the bot's default.
    """
    if language is None:
        chat = await context.services.store.chats.get(user_id)
        language = chat.language if chat is not None else None
    text = translator(resolve_language(language or DEFAULT_LANGUAGE)).gettext(APPROVED)
    try:
        await context.bot.send_message(user_id, text)
    except TelegramError as error:
        _LOGGER.info("Could not tell user %s they were allowed: %s", user_id, error)


async def _tell(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


async def _ask_admins(context: NewsContext, user: User) -> None:
    label = user_label(user.id, user.username, user.full_name)
    # Telegram's codes are short ("pt-br"); a longer one would not fit the button's 64 bytes.
    language = (user.language_code or "")[:8].replace(":", "")
    subject = f"{user.id}:{language}" if language else str(user.id)
    for admin_id in sorted(context.services.settings.admin_ids):
        t = translator(DEFAULT_LANGUAGE)
        buttons = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t.gettext(APPROVE),
                        callback_data=encode(Button(Action.ACCESS, f"a:{subject}")),
                    ),
                    InlineKeyboardButton(
                        t.gettext(DENY),
                        callback_data=encode(Button(Action.ACCESS, f"d:{user.id}")),
                    ),
                ]
            ]
        )
        try:
            await context.bot.send_message(
                admin_id, t.gettext(ASK_ADMINS).format(user=label), reply_markup=buttons
            )
        except TelegramError as error:
            _LOGGER.warning("Could not ask admin %s about user %s: %s", admin_id, user.id, error)


def register(application: NewsApplication, gate: AccessGate | None = None) -> None:
    """Put the gate in front of every handler but the flood guard."""
    application.add_handler(TypeHandler(Update, (gate or AccessGate()).check), group=ACCESS_GROUP)
