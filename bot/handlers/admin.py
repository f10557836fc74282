"""/allow, /deny and /users: the bot's admins decide who may use it (NEWSBOT_ACCESS)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.access import access_list, is_admin, notify_allowed, user_label
from bot.commands import Command
from bot.handlers.common import argument_text, translator_for
from bot.i18n import N_, Translator
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext
from storage.access import AccessEntry, normalise_username

__all__ = ["ADMIN_COMMANDS", "register"]

# Only in the admins' own command menu (setMyCommands scoped to their chats), never readers'.
ADMIN_COMMANDS: tuple[Command, ...] = (
    Command("allow", N_("Let a person use the bot"), "/allow @alice"),
    Command("deny", N_("Stop a person using the bot"), "/deny 123456789"),
    Command("users", N_("Who may use the bot, since when, last seen"), "/users"),
)
_ONLY_ADMINS = N_("Only the bot's admins can do that.")
_WHO = N_("Say who: /{command} 123456789 or /{command} @username.")


def _subject(text: str) -> tuple[int | None, str | None] | None:
    """``123456789`` or ``@name`` (a bare name counts too); None when it is neither."""
    word = next(iter(text.split()), "")
    if word.isdigit():
        return int(word), None
    name = normalise_username(word)
    if name is None or not name.replace("_", "").isalnum():
        return None
    return None, name


async def _decide(update: Update, context: NewsContext, *, allowed: bool) -> None:
    t = await translator_for(update, context)
    services = context.services
    if not is_admin(services.settings, update.effective_user):
        await reply_html(update, t.gettext(_ONLY_ADMINS))
        return
    command = "allow" if allowed else "deny"
    subject = _subject(argument_text(context))
    if subject is None:
        await reply_html(update, t.gettext(_WHO).format(command=command))
        return
    user_id, username = subject
    if not allowed and user_id is not None and user_id in services.settings.admin_ids:
        await reply_html(update, t.gettext("An admin from NEWSBOT_ADMIN_IDS cannot be denied."))
        return
    user = update.effective_user
    entry = await access_list(context).decide(
        allowed=allowed,
        subject_id=user_id,
        username=username,
        decided_by=user.id if user else None,
    )
    label = user_label(entry.subject_id, entry.username)
    if allowed:
        await reply_html(update, t.gettext("{user} may use the bot now.").format(user=label))
        if entry.subject_id is not None:
            await notify_allowed(context, entry.subject_id)
    else:
        await reply_html(update, t.gettext("{user} may no longer use the bot.").format(user=label))


async def allow(update: Update, context: NewsContext) -> None:
    """Admit a person by id or @username."""
    await _decide(update, context, allowed=True)


async def deny(update: Update, context: NewsContext) -> None:
    """Refuse a person by id or @username from now on."""
    await _decide(update, context, allowed=False)


def _line(entry: AccessEntry, t: Translator) -> str:
    mark = "✅" if entry.allowed else "⛔"
    since = entry.since.strftime("%Y-%m-%d")
    seen = entry.last_seen.strftime("%Y-%m-%d %H:00 UTC") if entry.last_seen else t.gettext("never")
    label = user_label(entry.subject_id, entry.username)
    if entry.subject_id is not None and entry.subject_id < 0:
        return t.gettext("{mark} group or channel {chat}, since {since}").format(
            mark=mark, chat=label, since=since
        )
    return t.gettext("{mark} {user}, since {since}, last seen {seen}").format(
        mark=mark, user=label, since=since, seen=seen
    )


async def users(update: Update, context: NewsContext) -> None:
    """Who may use the bot (and who was refused), since when, last seen."""
    t = await translator_for(update, context)
    settings = context.services.settings
    if not is_admin(settings, update.effective_user):
        await reply_html(update, t.gettext(_ONLY_ADMINS))
        return
    entries = await access_list(context).entries()
    lines = [
        t.gettext("<b>Access: {mode}</b>").format(mode=settings.access),
        *(_line(entry, t) for entry in entries),
    ]
    configured = sorted(settings.allowed_user_ids) + sorted(
        f"@{name}" for name in settings.allowed_usernames
    )
    if configured:
        lines.append(
            t.gettext("From NEWSBOT_ALLOWED_USERS: {users}").format(
                users=", ".join(str(item) for item in configured)
            )
        )
    if not entries and not configured:
        lines.append(t.gettext("Nobody yet besides the admins."))
    await reply_html(update, "\n".join(lines))


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler("allow", allow))
    application.add_handler(CommandHandler("deny", deny))
    application.add_handler(CommandHandler("users", users))
