"""/schedule, /settings and /forget, and their buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.callbacks import Action, Button
from bot.formatting import escape
from bot.handlers.common import can_change_chat, chat_id_of, keyboard, matches, open_button
from bot.parsing import ArgumentError, ScheduleOff, parse_schedule, parse_time_zone
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext
from bot.summarizer import SUMMARY_LENGTHS
from storage import Chat

__all__ = ["register", "settings_keyboard", "settings_text"]

_ADMINS_ONLY = "Only this group's admins can change its settings."
_DAY_NAMES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_ZONE_CHOICES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Kyiv",
    "America/New_York",
    "Asia/Tokyo",
)


def _schedule_line(chat: Chat) -> str:
    if chat.digest_time is None:
        return "Daily digest: off (set one with /schedule 08:00)"
    days = (
        "every day"
        if len(chat.digest_days) == 7
        else ", ".join(_DAY_NAMES[day] for day in sorted(chat.digest_days))
    )
    return f"Daily digest: {chat.digest_time:%H:%M} {escape(chat.time_zone)}, {days}"


async def schedule(update: Update, context: NewsContext) -> None:
    """Set, show or switch off the daily digest time."""
    store = context.services.store
    chat_id = chat_id_of(update)
    if not context.args:
        chat = await store.ensure_chat(chat_id)
        await reply_html(
            update,
            f"{_schedule_line(chat)}.\n\nUsage: /schedule HH:MM [Area/City], "
            "e.g. /schedule 08:00 Europe/Kyiv, or /schedule off.",
        )
        return
    try:
        request = parse_schedule(context.args)
    except ArgumentError as error:
        await reply_html(update, escape(str(error)))
        return
    if not await can_change_chat(update, context):
        await reply_html(update, _ADMINS_ONLY)
        return
    if isinstance(request, ScheduleOff):
        await store.update_chat(chat_id, digest_time=None)
        await reply_html(update, "Daily digest switched off. /digest still works any time.")
        return
    message = update.effective_message
    chat = await store.update_chat(
        chat_id,
        digest_time=request.at,
        time_zone=request.time_zone
        if request.time_zone
        else (await store.ensure_chat(chat_id)).time_zone,
        # In a forum group the digest goes to the thread the command was given in.
        message_thread_id=message.message_thread_id
        if message and message.is_topic_message
        else None,
    )
    await reply_html(update, f"{_schedule_line(chat)}.")


def settings_text(chat: Chat) -> str:
    """The /settings message."""
    return "\n".join(
        [
            "<b>Settings</b>",
            f"Summary length: {escape(chat.summary_length)}",
            _schedule_line(chat),
            f"Time zone: {escape(chat.time_zone)}",
            "",
            "Tap to change. Any other time zone: /schedule 08:00 Area/City.",
        ]
    )


def settings_keyboard(chat: Chat) -> list[list[tuple[str, Button]]]:
    """Buttons for summary length, digest days and time zone; the current choices ticked."""

    def ticked(label: str, on: bool) -> str:
        return f"✓ {label}" if on else label

    lengths = [
        (
            ticked(name.capitalize(), chat.summary_length == name),
            Button(Action.SUMMARY_LENGTH, name),
        )
        for name in SUMMARY_LENGTHS
    ]
    days = [
        (ticked(name, day in chat.digest_days), Button(Action.DIGEST_DAY, str(day)))
        for day, name in enumerate(_DAY_NAMES)
    ]
    zones = list(_ZONE_CHOICES)
    if chat.time_zone not in zones:
        zones.insert(0, chat.time_zone)
    zone_buttons = [
        (ticked(name, chat.time_zone == name), Button(Action.TIME_ZONE, name)) for name in zones
    ]
    return [
        lengths,
        days[:4],
        days[4:],
        *(zone_buttons[index : index + 3] for index in range(0, len(zone_buttons), 3)),
    ]


async def settings(update: Update, context: NewsContext) -> None:
    """Show the settings with buttons to change them."""
    chat = await context.services.store.ensure_chat(chat_id_of(update))
    await reply_html(update, settings_text(chat), reply_markup=keyboard(settings_keyboard(chat)))


async def settings_button(update: Update, context: NewsContext) -> None:
    """Apply one settings button and redraw the settings message."""
    opened = await open_button(update)
    if opened is None:
        return
    query, button = opened
    if not await can_change_chat(update, context):
        await query.answer(_ADMINS_ONLY, show_alert=True)
        return
    store = context.services.store
    chat_id = chat_id_of(update)
    chat = await store.ensure_chat(chat_id)
    if button.action is Action.SUMMARY_LENGTH and button.argument in SUMMARY_LENGTHS:
        chat = await store.update_chat(chat_id, summary_length=button.argument)
    elif button.action is Action.DIGEST_DAY and button.argument in {
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
    }:
        day = int(button.argument)
        days = chat.digest_days ^ {day}
        if not days:
            await query.answer("Keep at least one day; /schedule off stops the digest.")
            return
        chat = await store.update_chat(chat_id, digest_days=days)
    elif button.action is Action.TIME_ZONE:
        try:
            zone = parse_time_zone(button.argument)
        except ArgumentError:
            await query.answer("That button has expired; send /settings again.")
            return
        chat = await store.update_chat(chat_id, time_zone=zone)
    else:
        await query.answer("That button has expired; send /settings again.")
        return
    await query.answer("Saved")
    await query.edit_message_text(
        settings_text(chat), reply_markup=keyboard(settings_keyboard(chat))
    )


async def forget(update: Update, context: NewsContext) -> None:
    """Ask for confirmation before deleting everything stored about this chat."""
    if not await can_change_chat(update, context):
        await reply_html(update, _ADMINS_ONLY)
        return
    await reply_html(
        update,
        "This deletes your topics, schedule and settings. Are you sure?",
        reply_markup=keyboard(
            [
                [
                    ("Delete everything", Button(Action.FORGET_CONFIRM)),
                    ("Cancel", Button(Action.FORGET_CANCEL)),
                ]
            ]
        ),
    )


async def forget_button(update: Update, context: NewsContext) -> None:
    """Delete everything about this chat, or cancel."""
    opened = await open_button(update)
    if opened is None:
        return
    query, button = opened
    if not await can_change_chat(update, context):
        await query.answer(_ADMINS_ONLY, show_alert=True)
        return
    if button.action is Action.FORGET_CANCEL:
        await query.answer()
        await query.edit_message_text("Nothing was deleted.")
        return
    await context.services.store.forget_chat(chat_id_of(update))
    context.services.seen.forget(chat_id_of(update))
    await query.answer("Deleted")
    await query.edit_message_text(
        "Done: I have forgotten this chat's topics, schedule and settings. /start begins again."
    )


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler("schedule", schedule))
    application.add_handler(CommandHandler("settings", settings))
    application.add_handler(CommandHandler("forget", forget))
    application.add_handler(
        CallbackQueryHandler(
            settings_button,
            pattern=matches(Action.SUMMARY_LENGTH, Action.DIGEST_DAY, Action.TIME_ZONE),
        )
    )
    application.add_handler(
        CallbackQueryHandler(
            forget_button, pattern=matches(Action.FORGET_CONFIRM, Action.FORGET_CANCEL)
        )
    )
