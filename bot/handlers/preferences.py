"""/schedule, /settings and /forget, and their buttons."""

from __future__ import annotations

from collections.abc import Container
from datetime import UTC, datetime, time

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.callbacks import Action, Button
from bot.digests.schedule import zone as time_zone_of
from bot.digests.timer import schedule_changed
from bot.formatting import escape
from bot.handlers.common import (
    can_change_chat,
    chat_id_of,
    keyboard,
    matches,
    open_change_button,
    translator_for,
)
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, Translator, translator, weekday_short
from bot.parsing import (
    SCHEDULE_USAGE,
    ArgumentError,
    ScheduleOff,
    parse_schedule,
    parse_time_zone,
)
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext
from bot.summarizer import SUMMARY_LENGTHS
from storage import Chat

__all__ = [
    "DEFAULT_DIGEST_TIME",
    "language_keyboard",
    "register",
    "schedule_keyboard",
    "settings_keyboard",
    "settings_text",
    "subscribe_offering_schedule",
]

_ADMINS_ONLY = N_("Only this group's admins can change its settings.")
_EXPIRED = N_("That button has expired; send /settings again.")
# A chat's first subscription switches its daily digest on at this local time, once.
DEFAULT_DIGEST_TIME = time(8, 0)
_TIME_CHOICES = (time(7, 0), time(8, 0), time(12, 0), time(18, 0))
_SCHEDULE_OFF = "off"
_SCHEDULE_HINT = N_(
    "Tap to change the time, or send any time and time zone like /schedule 07:30 Europe/Berlin."
)
_STORY_CHOICES = (3, 5, 10)
_WEEKDAYS = frozenset(str(day) for day in range(7))
_ZONE_CHOICES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Kyiv",
    "America/New_York",
    "Asia/Tokyo",
)


def _schedule_line(chat: Chat, t: Translator) -> str:
    if chat.digest_time is None:
        return t.gettext("Daily digest: off (set one with /schedule 08:00)")
    days = (
        t.gettext("every day")
        if len(chat.digest_days) == 7
        else ", ".join(weekday_short(t, day) for day in sorted(chat.digest_days))
    )
    return t.gettext("Daily digest: {time} {zone}, {days}").format(
        time=f"{chat.digest_time:%H:%M}", zone=escape(chat.time_zone), days=days
    )


def _next_digest_line(chat: Chat, due: datetime | None, t: Translator) -> str:
    """When the next digest comes, in the chat's zone: the rule made visible (a slot later
    today is today's, however close; one just passed is tomorrow's)."""
    if due is None:
        return ""
    local_zone = time_zone_of(chat.time_zone)
    local_due = due.astimezone(local_zone)
    days_ahead = (local_due.date() - datetime.now(UTC).astimezone(local_zone).date()).days
    moment = f"{local_due:%H:%M}"
    if days_ahead <= 0:
        return t.gettext("Next digest: today {time}").format(time=moment)
    if days_ahead == 1:
        return t.gettext("Next digest: tomorrow {time}").format(time=moment)
    return t.gettext("Next digest: {weekday} {time}").format(
        weekday=weekday_short(t, local_due.weekday()), time=moment
    )


def _length_name(t: Translator, length: str) -> str:
    names = {
        "short": t.pgettext("summary length", "Short"),
        "medium": t.pgettext("summary length", "Medium"),
        "long": t.pgettext("summary length", "Long"),
    }
    return names.get(length, length)


def schedule_keyboard(chat: Chat, t: Translator) -> list[list[tuple[str, Button]]]:
    """Buttons for a few daily digest times and off; the current choice ticked."""
    times = [
        (
            _ticked(f"{moment:%H:%M}", chat.digest_time == moment),
            Button(Action.DIGEST_TIME, f"{moment:%H:%M}"),
        )
        for moment in _TIME_CHOICES
    ]
    off = (
        _ticked(t.pgettext("digest schedule", "Off"), chat.digest_time is None),
        Button(Action.DIGEST_TIME, _SCHEDULE_OFF),
    )
    return [[*times, off]]


def _schedule_choice_text(chat: Chat, t: Translator, due: datetime | None) -> str:
    next_line = _next_digest_line(chat, due, t)
    next_line = f" {next_line}." if next_line else ""
    return f"🗓 {_schedule_line(chat, t)}.{next_line}\n{t.gettext(_SCHEDULE_HINT)}"


async def subscribe_offering_schedule(
    update: Update,
    context: NewsContext,
    chat_id: int,
    topic: str,
    t: Translator,
    *,
    offer_when_followed: bool = False,
) -> tuple[bool, tuple[str, InlineKeyboardMarkup] | None]:
    """Follow ``topic``, and on a chat's first subscription switch on the digest at 08:00 local.

    Returns whether the topic was new, and the lines and buttons to show with the confirmation,
    or None when the chat has chosen a schedule before (set one, or switched it off): that
    choice stands. Raises InvalidTopicError for a topic that cannot be followed.
    """
    message = update.effective_message
    added, offered = await context.services.store.subscriptions.subscribe_offering_schedule(
        chat_id,
        topic,
        at=DEFAULT_DIGEST_TIME,
        # In a forum group the digest goes to the thread the subscription was made in.
        message_thread_id=message.message_thread_id
        if message is not None and message.is_topic_message
        else None,
        offer_when_followed=offer_when_followed,
    )
    if not offered:
        return added, None
    due = await schedule_changed(update, context, chat_id)
    chat = await context.services.store.chats.ensure(chat_id)
    return added, (_schedule_choice_text(chat, t, due), keyboard(schedule_keyboard(chat, t)))


async def schedule_button(update: Update, context: NewsContext) -> None:
    """Apply a digest time (or off) chosen under the first subscription's offer."""
    opened = await open_change_button(update, context, _ADMINS_ONLY)
    if opened is None:
        return
    query, button, t = opened
    # Only the times the buttons offer: data is the client's to forge.
    choices: dict[str, time | None] = {f"{moment:%H:%M}": moment for moment in _TIME_CHOICES}
    choices[_SCHEDULE_OFF] = None
    if button.argument not in choices:
        await query.answer(t.gettext(_EXPIRED))
        return
    at = choices[button.argument]
    chat = await context.services.store.chats.update(chat_id_of(update), digest_time=at)
    due = await schedule_changed(update, context, chat.id)
    await query.answer(t.gettext("Saved"))
    await query.edit_message_text(
        _schedule_choice_text(chat, t, due), reply_markup=keyboard(schedule_keyboard(chat, t))
    )


async def schedule(update: Update, context: NewsContext) -> None:
    """Set, show or switch off the daily digest time."""
    store = context.services.store
    chat_id = chat_id_of(update)
    t = await translator_for(update, context)
    if not context.args:
        chat = await store.chats.ensure(chat_id)
        await reply_html(update, f"{_schedule_line(chat, t)}.\n\n{t.gettext(SCHEDULE_USAGE)}")
        return
    try:
        request = parse_schedule(context.args)
    except ArgumentError as error:
        await reply_html(update, escape(error.translated(t)))
        return
    if not await can_change_chat(update, context):
        await reply_html(update, t.gettext(_ADMINS_ONLY))
        return
    if isinstance(request, ScheduleOff):
        await store.chats.update(chat_id, digest_time=None)
        await schedule_changed(update, context, chat_id)
        await reply_html(
            update, t.gettext("Daily digest switched off. /digest still works any time.")
        )
        return
    message = update.effective_message
    chat = await store.chats.update(
        chat_id,
        digest_time=request.at,
        time_zone=request.time_zone
        if request.time_zone
        else (await store.chats.ensure(chat_id)).time_zone,
        # In a forum group the digest goes to the thread the command was given in.
        message_thread_id=message.message_thread_id
        if message and message.is_topic_message
        else None,
    )
    due = await schedule_changed(update, context, chat_id)
    next_line = _next_digest_line(chat, due, t)
    await reply_html(update, f"{_schedule_line(chat, t)}.\n{next_line}".rstrip())


def _notices_label(t: Translator, on: bool) -> str:
    return t.gettext("Nothing-new notices: on") if on else t.gettext("Nothing-new notices: off")


def settings_text(chat: Chat, t: Translator, language: str) -> str:
    """The /settings message in ``t``'s language; ``language`` is the chat's language code."""
    length = _length_name(t, chat.summary_length)
    return "\n".join(
        [
            t.gettext("<b>Settings</b>"),
            t.gettext("Summary length: {length}").format(length=escape(length.lower())),
            _schedule_line(chat, t),
            t.gettext("Stories per digest: {count}").format(count=chat.max_stories),
            _notices_label(t, chat.notify_empty),
            t.gettext("Time zone: {zone}").format(zone=escape(chat.time_zone)),
            t.gettext("Language: {language}").format(language=LANGUAGES[language]),
            "",
            t.gettext("Tap to change. Any other time zone: /schedule 08:00 Area/City."),
        ]
    )


def _ticked(label: str, on: bool) -> str:
    return f"✓ {label}" if on else label


def settings_keyboard(chat: Chat, t: Translator, language: str) -> list[list[tuple[str, Button]]]:
    """Buttons for length, digest days and options, time zone and language; choices ticked."""
    lengths = [
        (
            _ticked(_length_name(t, name), chat.summary_length == name),
            Button(Action.SUMMARY_LENGTH, name),
        )
        for name in SUMMARY_LENGTHS
    ]
    days = [
        (
            _ticked(weekday_short(t, day), day in chat.digest_days),
            Button(Action.DIGEST_DAY, str(day)),
        )
        for day in range(7)
    ]
    stories = [
        (
            _ticked(
                t.ngettext("{count} story", "{count} stories", count).format(count=count),
                chat.max_stories == count,
            ),
            Button(Action.DIGEST_STORIES, str(count)),
        )
        for count in _STORY_CHOICES
    ]
    # The button says what the setting is now; a press switches it.
    notices = (
        "🔔 " + _notices_label(t, chat.notify_empty),
        Button(Action.NOTHING_NEW_NOTICES, "0" if chat.notify_empty else "1"),
    )
    zones = list(_ZONE_CHOICES)
    if chat.time_zone not in zones:
        zones.insert(0, chat.time_zone)
    zone_buttons = [
        (_ticked(name, chat.time_zone == name), Button(Action.TIME_ZONE, name)) for name in zones
    ]
    # The language names stay in their own language, so anyone can find theirs.
    language_label = "🌐 " + t.gettext("Language: {language}").format(language=LANGUAGES[language])
    return [
        lengths,
        days[:4],
        days[4:],
        stories,
        [notices],
        *(zone_buttons[index : index + 3] for index in range(0, len(zone_buttons), 3)),
        [(language_label, Button(Action.LANGUAGE))],
    ]


def language_keyboard(language: str) -> list[list[tuple[str, Button]]]:
    """One button per interface language, two to a row; the current one ticked."""
    buttons = [
        (_ticked(name, code == language), Button(Action.LANGUAGE, code))
        for code, name in LANGUAGES.items()
    ]
    return [buttons[index : index + 2] for index in range(0, len(buttons), 2)]


def _language_of(context: NewsContext, chat_id: int) -> str:
    # translator_for has run for this chat before any settings are shown or changed.
    return context.services.languages.get(chat_id) or DEFAULT_LANGUAGE


async def settings(update: Update, context: NewsContext) -> None:
    """Show the settings with buttons to change them."""
    t = await translator_for(update, context)
    chat_id = chat_id_of(update)
    chat = await context.services.store.chats.ensure(chat_id)
    language = _language_of(context, chat_id)
    await reply_html(
        update,
        settings_text(chat, t, language),
        reply_markup=keyboard(settings_keyboard(chat, t, language)),
    )


async def summary_length_button(update: Update, context: NewsContext) -> None:
    """Set how long summaries are (a /settings button)."""
    opened = await _open_setting(update, context, SUMMARY_LENGTHS)
    if opened is None:
        return
    query, button, t, chat = opened
    chat = await context.services.store.chats.update(chat.id, summary_length=button.argument)
    await _show_saved(context, query, chat, t)


async def digest_day_button(update: Update, context: NewsContext) -> None:
    """Turn one weekday of the digest on or off (a /settings button)."""
    opened = await _open_setting(update, context, _WEEKDAYS)
    if opened is None:
        return
    query, button, t, chat = opened
    days = chat.digest_days ^ {int(button.argument)}
    if not days:
        await query.answer(t.gettext("Keep at least one day; /schedule off stops the digest."))
        return
    chat = await context.services.store.chats.update(chat.id, digest_days=days)
    await schedule_changed(update, context, chat.id)
    await _show_saved(context, query, chat, t)


async def time_zone_button(update: Update, context: NewsContext) -> None:
    """Set the chat's time zone (a /settings button)."""
    opened = await _open_setting(update, context)
    if opened is None:
        return
    query, button, t, chat = opened
    try:
        zone = parse_time_zone(button.argument)
    except ArgumentError:
        await query.answer(t.gettext(_EXPIRED))
        return
    chat = await context.services.store.chats.update(chat.id, time_zone=zone)
    await schedule_changed(update, context, chat.id)
    await _show_saved(context, query, chat, t)


async def language_button(update: Update, context: NewsContext) -> None:
    """Offer the interface languages, or switch to the one chosen (a /settings button)."""
    opened = await open_change_button(update, context, _ADMINS_ONLY)
    if opened is None:
        return
    query, button, t = opened
    chat_id = chat_id_of(update)
    if not button.argument:
        await query.answer()
        await query.edit_message_text(
            t.gettext(
                "<b>Language</b>\nWhich language should I speak here? "
                "News and summaries stay in the language they were written in."
            ),
            reply_markup=keyboard(language_keyboard(_language_of(context, chat_id))),
        )
        return
    store = context.services.store
    await store.chats.ensure(chat_id)
    if button.argument not in LANGUAGES:
        await query.answer(t.gettext(_EXPIRED))
        return
    language = button.argument
    chat = await store.chats.update(chat_id, language=language)
    context.services.languages.set(chat_id, language)
    await _show_saved(context, query, chat, translator(language))


async def digest_stories_button(update: Update, context: NewsContext) -> None:
    """Set how many stories a digest holds (a /settings button)."""
    opened = await _open_setting(update, context, {str(count) for count in _STORY_CHOICES})
    if opened is None:
        return
    query, button, t, chat = opened
    chat = await context.services.store.chats.update(chat.id, max_stories=int(button.argument))
    await _show_saved(context, query, chat, t)


async def nothing_new_button(update: Update, context: NewsContext) -> None:
    """Turn the "nothing new" notices on or off (a /settings button)."""
    opened = await _open_setting(update, context, {"0", "1"})
    if opened is None:
        return
    query, button, t, chat = opened
    chat = await context.services.store.chats.update(chat.id, notify_empty=button.argument == "1")
    await _show_saved(context, query, chat, t)


async def _open_setting(
    update: Update, context: NewsContext, choices: Container[str] | None = None
) -> tuple[CallbackQuery, Button, Translator, Chat] | None:
    """A settings press its sender may make, with the chat it changes (stored if new).

    A press whose argument is not one of ``choices`` (a forged or outdated button) is answered
    as expired and gives None.
    """
    opened = await open_change_button(update, context, _ADMINS_ONLY)
    if opened is None:
        return None
    query, button, t = opened
    chat = await context.services.store.chats.ensure(chat_id_of(update))
    if choices is not None and button.argument not in choices:
        await query.answer(t.gettext(_EXPIRED))
        return None
    return query, button, t, chat


async def _show_saved(
    context: NewsContext, query: CallbackQuery, chat: Chat, t: Translator
) -> None:
    """Confirm a changed setting and redraw the settings message with it."""
    language = _language_of(context, chat.id)
    await query.answer(t.gettext("Saved"))
    await query.edit_message_text(
        settings_text(chat, t, language),
        reply_markup=keyboard(settings_keyboard(chat, t, language)),
    )


async def forget(update: Update, context: NewsContext) -> None:
    """Ask for confirmation before deleting everything stored about this chat."""
    t = await translator_for(update, context)
    if not await can_change_chat(update, context):
        await reply_html(update, t.gettext(_ADMINS_ONLY))
        return
    await reply_html(
        update,
        t.gettext("This deletes your topics, schedule and settings. Are you sure?"),
        reply_markup=keyboard(
            [
                [
                    (t.gettext("Delete everything"), Button(Action.FORGET_CONFIRM)),
                    (t.gettext("Cancel"), Button(Action.FORGET_CANCEL)),
                ]
            ]
        ),
    )


async def forget_button(update: Update, context: NewsContext) -> None:
    """Delete everything about this chat, or cancel."""
    opened = await open_change_button(update, context, _ADMINS_ONLY)
    if opened is None:
        return
    query, button, t = opened
    if button.action is Action.FORGET_CANCEL:
        await query.answer()
        await query.edit_message_text(t.gettext("Nothing was deleted."))
        return
    await context.services.store.chats.forget(chat_id_of(update))
    context.services.seen.forget(chat_id_of(update))
    context.services.languages.forget(chat_id_of(update))
    await query.answer(t.gettext("Deleted"))
    await query.edit_message_text(
        t.gettext(
            "Done: I have forgotten this chat's topics, schedule and settings. /start begins again."
        )
    )


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler("schedule", schedule))
    application.add_handler(CommandHandler("settings", settings))
    application.add_handler(CommandHandler("forget", forget))
    for handler, action in (
        (summary_length_button, Action.SUMMARY_LENGTH),
        (digest_day_button, Action.DIGEST_DAY),
        (time_zone_button, Action.TIME_ZONE),
        (language_button, Action.LANGUAGE),
        (digest_stories_button, Action.DIGEST_STORIES),
        (nothing_new_button, Action.NOTHING_NEW_NOTICES),
    ):
        application.add_handler(CallbackQueryHandler(handler, pattern=matches(action)))
    application.add_handler(
        CallbackQueryHandler(schedule_button, pattern=matches(Action.DIGEST_TIME))
    )
    application.add_handler(
        CallbackQueryHandler(
            forget_button, pattern=matches(Action.FORGET_CONFIRM, Action.FORGET_CANCEL)
        )
    )
