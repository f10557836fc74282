"""/channel: manage a channel (or group) from the private chat, with the reader commands.

``/channel @name`` (or forwarding one of its posts) makes the private chat's /subscribe,
/unsubscribe, /topics, /schedule, /settings, /mute, /unmute, /muted, /sources and /digest act
on the channel until ``/channel off``; ``/channel @name subscribe ukraine`` does one command.
Whoever asks must be an administrator of the channel, checked with getChatMember on every
command (an admin yesterday may not be one today). /digest posts the channel's digest there
now, without per-reader buttons. If the bot is removed or loses its posting right, the
channel is paused and the person who set it up is told once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from telegram import ChatMember, MessageOriginChannel, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ChatMemberHandler, CommandHandler, TypeHandler

from bot.callbacks import Action, decode
from bot.channels import ActingFor, act_for
from bot.digests.now import build_digest_now
from bot.formatting import escape
from bot.handlers import filters, live, preferences, previews, sources, subscriptions
from bot.handlers.common import translator_for
from bot.i18n import DEFAULT_LANGUAGE, N_, resolve_language, translator
from bot.pictures import story_preview
from bot.replies import Delivery, deliver, reply_html
from bot.services import NewsApplication, NewsContext
from storage.channels import ChannelSessions, ManagedChat

__all__ = ["CHANNEL_COMMANDS", "CHANNEL_GROUP", "register"]

_LOGGER = logging.getLogger(__name__)

# After the access gate (-50), before the chat bookkeeping (-1) and every command.
CHANNEL_GROUP = -20
# A group of its own for my_chat_member, so bot.handlers.chats sees the update as well.
_MEMBERSHIP_GROUP = 1
_ADMIN_STATUSES = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)

Handler = Callable[[Update, NewsContext], Awaitable[None]]
# The reader commands that act on the managed channel; all others stay the person's own.
CHANNEL_COMMANDS: dict[str, Handler] = {
    "subscribe": subscriptions.subscribe,
    "unsubscribe": subscriptions.unsubscribe,
    "topics": subscriptions.topics,
    "schedule": preferences.schedule,
    "settings": preferences.settings,
    "mute": filters.mute,
    "unmute": filters.unmute,
    "muted": filters.muted,
    "sources": sources.sources,
    "delivery": live.delivery,
    "quiet": live.quiet,
    "previews": previews.previews,
}
# Buttons under those commands' answers change the chat they were drawn for.
_CHANNEL_ACTIONS = frozenset(
    {
        Action.SUBSCRIBE,
        Action.UNSUBSCRIBE,
        Action.SUMMARY_LENGTH,
        Action.DIGEST_DAY,
        Action.TIME_ZONE,
        Action.UNMUTE,
        Action.SOURCE,
        Action.LANGUAGE,
        Action.DIGEST_TIME,
        Action.DIGEST_STORIES,
        Action.NOTHING_NEW_NOTICES,
    }
)

USAGE = N_(
    "Manage a channel from here: add me to it as an administrator who can post, then send "
    "/channel @name. Until /channel off, /subscribe, /topics, /schedule, /settings, /mute, "
    "/sources and /digest act on it. One command at a time: /channel @name subscribe ukraine."
)
MANAGING = N_(
    "Now managing {name}: /subscribe, /unsubscribe, /topics, /schedule, /settings, /mute, "
    "/sources and /digest act on it until /channel off."
)
NOT_FOUND = N_(
    "I cannot find {name}. Add me to the channel as an administrator, then send /channel again."
)
NOT_ADMIN = N_("{name}: only its administrators can change it.")
BOT_NOT_ADMIN = N_(
    "{name}: I am not an administrator who can post there. Make me one, then try again."
)
LOST_RIGHTS = N_(
    "{name}: I was removed or can no longer post there, so I paused it. Make me an "
    "administrator who can post again, then send /channel {name}."
)


def _sessions(context: NewsContext) -> ChannelSessions:
    return context.services.store.channels


def _command(update: Update) -> str | None:
    """The command a private message starts with, without the slash and @botname."""
    message = update.message
    text = message.text if message is not None else None
    if not text or not text.startswith("/"):
        return None
    return text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()


async def _is_admin(context: NewsContext, chat_id: int, user_id: int) -> bool:
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    return member.status in _ADMIN_STATUSES


async def _bot_can_post(context: NewsContext, chat_id: int, kind: str = ChatType.CHANNEL) -> bool:
    try:
        member = await context.bot.get_chat_member(chat_id, context.bot.id)
    except TelegramError:
        return False
    return _may_post(member, kind)


def _may_post(member: ChatMember, kind: str) -> bool:
    """In a channel only an admin with the posting right posts; in a group any member does."""
    if kind != ChatType.CHANNEL and member.status == ChatMember.MEMBER:
        return True
    if kind != ChatType.CHANNEL and member.status == ChatMember.RESTRICTED:
        return getattr(member, "can_send_messages", False) is True
    return (
        member.status == ChatMember.ADMINISTRATOR
        and getattr(member, "can_post_messages", None) is not False
    )


async def route(update: Update, context: NewsContext) -> None:
    """Before any command: decide whether this update acts on a managed channel."""
    act_for(None)
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        return
    if await _forwarded_channel(update, context):
        raise ApplicationHandlerStop
    command = _command(update)
    button = decode(update.callback_query.data) if update.callback_query else None
    if (
        command not in CHANNEL_COMMANDS
        and command != "digest"
        and (button is None or button.action not in _CHANNEL_ACTIONS)
    ):
        return
    managed = await _sessions(context).session(chat.id)
    if managed is None:
        return
    if not await _is_admin(context, managed.chat_id, user.id):
        t = await translator_for(update, context)
        refusal = t.gettext(NOT_ADMIN).format(name=managed.name)
        if update.callback_query is not None:
            await update.callback_query.answer(refusal, show_alert=True)
        else:
            await reply_html(update, escape(refusal))
        raise ApplicationHandlerStop
    act_for(ActingFor(chat.id, managed.chat_id, managed.name))
    if command == "digest":
        await _post_digest(update, context, managed)
        raise ApplicationHandlerStop


async def _forwarded_channel(update: Update, context: NewsContext) -> bool:
    """A post forwarded from a channel both the person and the bot administer opens it."""
    message = update.message
    origin = message.forward_origin if message is not None else None
    if not isinstance(origin, MessageOriginChannel) or update.effective_user is None:
        return False
    channel = origin.chat
    if not await _bot_can_post(context, channel.id):
        # Not a channel the bot posts to: the post is summarised like any other.
        return False
    if not await _is_admin(context, channel.id, update.effective_user.id):
        return False
    await _open(update, context, channel.id, _display_name(channel.username, channel.title))
    return True


def _display_name(username: str | None, title: str | None) -> str:
    return f"@{username}" if username else (title or "?")


async def _open(
    update: Update, context: NewsContext, chat_id: int, name: str, kind: str = ChatType.CHANNEL
) -> None:
    user = update.effective_user
    chat = update.effective_chat
    assert user is not None and chat is not None
    store = context.services.store
    if await store.chats.get(chat_id) is None:
        # Its kind decides its digest's shape: a group keeps the readers' buttons.
        await store.chats.ensure(chat_id, kind=kind)
    if await store.chats.get(chat.id) is None:
        # A forwarded post can be the person's first message, before the chat is recorded.
        await store.chats.ensure(chat.id, kind=ChatType.PRIVATE, language=user.language_code)
    await _sessions(context).open(chat.id, chat_id, name, user_id=user.id)
    t = await translator_for(update, context)
    await reply_html(update, escape(t.gettext(MANAGING).format(name=name)))


async def channel(update: Update, context: NewsContext) -> None:
    """/channel @name [command ...], /channel off, or /channel to see which one."""
    t = await translator_for(update, context)
    chat = update.effective_chat
    user = update.effective_user
    args = list(context.args or ())
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        await reply_html(update, escape(t.gettext("Send /channel in a private chat with me.")))
        return
    sessions = _sessions(context)
    if not args:
        current = await sessions.session(chat.id)
        if current is None:
            await reply_html(update, escape(t.gettext(USAGE)))
        else:
            await reply_html(update, escape(t.gettext(MANAGING).format(name=current.name)))
        return
    if args[0].lower() == "off":
        closed = await sessions.close(chat.id)
        text = (
            t.gettext("Back to your own settings; {name} keeps its own.").format(name=closed.name)
            if closed
            else t.gettext("You were not managing a channel.")
        )
        await reply_html(update, escape(text))
        return
    target = await _resolve(context, args[0])
    if target is None:
        await reply_html(update, escape(t.gettext(NOT_FOUND).format(name=args[0][:64])))
        return
    chat_id, name, kind = target
    if not await _is_admin(context, chat_id, user.id):
        await reply_html(update, escape(t.gettext(NOT_ADMIN).format(name=name)))
        return
    if not await _bot_can_post(context, chat_id, kind):
        await reply_html(update, escape(t.gettext(BOT_NOT_ADMIN).format(name=name)))
        return
    if len(args) == 1:
        await _open(update, context, chat_id, name, kind)
        return
    await _one_command(update, context, (chat_id, name, kind), args[1:])


async def _one_command(
    update: Update, context: NewsContext, target: tuple[int, str, str], words: list[str]
) -> None:
    """``/channel @name subscribe ukraine``: one reader command for the channel."""
    chat_id, name, kind = target
    chat = update.effective_chat
    user = update.effective_user
    assert chat is not None and user is not None
    command = words[0].removeprefix("/").lower()
    handler = CHANNEL_COMMANDS.get(command)
    if handler is None and command != "digest":
        t = await translator_for(update, context)
        await reply_html(update, escape(t.gettext(USAGE)))
        return
    store = context.services.store
    if await store.chats.get(chat_id) is None:
        await store.chats.ensure(chat_id, kind=kind)
    managed = await _sessions(context).remember(chat_id, name, user_id=user.id)
    act_for(ActingFor(chat.id, chat_id, name))
    if handler is None:
        await _post_digest(update, context, managed)
        return
    context.args = words[1:]
    await handler(update, context)


async def _post_digest(update: Update, context: NewsContext, managed: ManagedChat) -> None:
    """The channel's digest, posted there now without per-reader buttons, logged as sent."""
    services = context.services
    t = await translator_for(update, context)
    now = datetime.now(UTC)
    via = f"@{context.bot.username}" if services.settings.channel_via else None
    digest = await build_digest_now(services, managed.chat_id, now=now, via=via)
    if digest is None:
        await reply_html(update, escape(t.gettext("It follows nothing yet: /subscribe ukraine")))
        return
    if not digest.messages:
        await reply_html(update, escape(t.gettext("Nothing new since its last digest.")))
        return
    queries = services.store.digests
    posted = 0
    # A digest previews only its top story's picture.
    top_ids = digest.messages[0].article_ids
    top = await services.store.articles.get(top_ids[0]) if top_ids else None
    preview = await story_preview(services, top, managed.chat_id) if top else None
    for message in digest.messages:
        await queries.record_deliveries(managed.chat_id, message.article_ids, now)
        outcome = await deliver(
            context.bot,
            services.store,
            managed.chat_id,
            message.text,
            link_preview_options=preview if posted == 0 else None,
        )
        if outcome is not Delivery.SENT:
            await queries.forget_deliveries(managed.chat_id, message.article_ids)
            break
        posted += 1
    await reply_html(
        update,
        escape(
            t.ngettext(
                "Posted its digest there ({count} message).",
                "Posted its digest there ({count} messages).",
                posted,
            ).format(count=posted)
        ),
    )


async def _resolve(context: NewsContext, name: str) -> tuple[int, str, str] | None:
    """``@name`` or a numeric id to (chat id, display name, chat type); None when unknown."""
    key: int | str = int(name) if name.lstrip("-").isdigit() else f"@{name.removeprefix('@')}"
    try:
        found = await context.bot.get_chat(key)
    except TelegramError:
        return None
    if found.type == ChatType.PRIVATE:
        return None
    return found.id, _display_name(found.username, found.title), found.type


async def membership_changed(update: Update, context: NewsContext) -> None:
    """Removed or unable to post in a managed chat: pause it and tell its setter once."""
    change = update.my_chat_member
    if change is None or change.chat.type == ChatType.PRIVATE:
        return
    sessions = _sessions(context)
    managed = await sessions.managed(change.chat.id)
    if managed is None:
        return
    can_post = _may_post(change.new_chat_member, change.chat.type)
    store = context.services.store
    if can_post:
        if await sessions.mark_lost_rights(managed.chat_id, lost=False):
            await store.chats.update(managed.chat_id, paused=False)
        return
    if await store.chats.get(managed.chat_id) is not None:
        await store.chats.update(managed.chat_id, paused=True)
    if not await sessions.mark_lost_rights(managed.chat_id, lost=True):
        return
    setter = await store.chats.get(managed.set_by)
    t = translator(resolve_language(setter.language if setter else DEFAULT_LANGUAGE))
    _LOGGER.info("Lost the right to post in managed chat %s; paused it", managed.chat_id)
    await deliver(
        context.bot, store, managed.set_by, escape(t.gettext(LOST_RIGHTS).format(name=managed.name))
    )


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(TypeHandler(Update, route), group=CHANNEL_GROUP)
    application.add_handler(CommandHandler("channel", channel))
    application.add_handler(
        ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        group=_MEMBERSHIP_GROUP,
    )
