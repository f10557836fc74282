"""/delivery and /quiet: daily digest, posts as it happens, or off; and when to keep quiet."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CommandHandler

from bot.formatting import escape
from bot.handlers.common import argument_text, can_change_chat, chat_id_of, translator_for
from bot.i18n import N_, Translator
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext
from storage.live import LiveQueries

__all__ = ["register"]

_ADMINS_ONLY = N_("Only the group's admins can change that.")
_MODES = {"daily": "daily", "live": "live", "off": "off"}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _mode_name(mode: str, t: Translator) -> str:
    names = {
        "daily": t.gettext("daily digest"),
        "live": t.gettext("as it happens"),
        "off": t.gettext("off"),
    }
    return names.get(mode, mode)


async def delivery(update: Update, context: NewsContext) -> None:
    """/delivery [topic | source N] daily|live|off, or /delivery to see each one's mode."""
    t = await translator_for(update, context)
    chat_id = chat_id_of(update)
    live = context.services.store.live
    words = argument_text(context).split()
    if not words:
        modes = await live.modes(chat_id)
        default = modes.get("", "daily")
        lines = [t.gettext("Delivery: {mode}").format(mode=_mode_name(default, t))]
        for topic in await context.services.store.subscriptions.topics(chat_id):
            lines.append(f"• {escape(topic)}: {_mode_name(modes.get(topic, default), t)}")
        for source in await live.source_modes(chat_id):
            name = source.title or t.gettext("Feed {number}").format(number=source.feed_id)
            lines.append(
                t.gettext("• source {number}, {name}: {mode}").format(
                    number=source.feed_id,
                    name=escape(name),
                    mode=_mode_name(source.mode or default, t),
                )
            )
        lines.append(
            t.gettext(
                "Change it with /delivery live, /delivery daily or /delivery off, "
                "for one topic: /delivery ukraine live, for a source you follow: "
                "/delivery source 3 live."
            )
        )
        await reply_html(update, "\n".join(lines))
        return
    mode = _MODES.get(words[-1].lower())
    if mode is None:
        await reply_html(
            update, t.gettext("End with daily, live or off, e.g. /delivery ukraine live.")
        )
        return
    if not await can_change_chat(update, context):
        await reply_html(update, t.gettext(_ADMINS_ONLY))
        return
    if len(words) == 3 and words[0].lower() == "source":
        await _source_mode(update, live, chat_id, words[1], mode=mode, t=t)
        return
    topic = " ".join(words[:-1]).lower()
    followed = await context.services.store.subscriptions.topics(chat_id)
    if topic and topic not in followed:
        await reply_html(
            update,
            t.gettext("You do not follow “{topic}”; /subscribe it first.").format(
                topic=escape(topic)
            ),
        )
        return
    await live.set_mode(chat_id, topic, mode)
    if topic:
        text = t.gettext("{topic}: {mode}.").format(topic=escape(topic), mode=_mode_name(mode, t))
    else:
        text = t.gettext("All your topics: {mode}.").format(mode=_mode_name(mode, t))
    await reply_html(update, text)


async def _source_mode(
    update: Update, live: LiveQueries, chat_id: int, number: str, *, mode: str, t: Translator
) -> None:
    """/delivery source 3 live: one followed source's mode."""
    if not (number.isascii() and number.isdigit()) or not await live.set_source_mode(
        chat_id, int(number), mode
    ):
        await reply_html(
            update,
            t.gettext("You do not follow source {number}; /sources lists them.").format(
                number=escape(number[:20])
            ),
        )
        return
    await reply_html(
        update,
        t.gettext("Source {number}: {mode}.").format(number=number, mode=_mode_name(mode, t)),
    )


async def quiet(update: Update, context: NewsContext) -> None:
    """/quiet 22:00 07:00 (in the chat's time zone), /quiet off, or /quiet to see them."""
    t = await translator_for(update, context)
    chat_id = chat_id_of(update)
    live = context.services.store.live
    words = argument_text(context).split()
    if not words:
        hours = await live.quiet_hours(chat_id)
        if hours is None:
            text = t.gettext("No quiet hours. Set them like /quiet 22:00 07:00.")
        else:
            text = t.gettext("Quiet from {start} to {end}; /quiet off ends them.").format(
                start=_clock(hours[0]), end=_clock(hours[1])
            )
        await reply_html(update, text)
        return
    if not await can_change_chat(update, context):
        await reply_html(update, t.gettext(_ADMINS_ONLY))
        return
    if words == ["off"]:
        await live.set_quiet_hours(chat_id, None)
        await reply_html(update, t.gettext("No quiet hours any more."))
        return
    matches = [_TIME.match(word) for word in words]
    if len(words) != 2 or not all(matches):
        await reply_html(update, t.gettext("Give two times, like /quiet 22:00 07:00."))
        return
    start, end = (int(m[1]) * 60 + int(m[2]) for m in matches if m)
    await live.set_quiet_hours(chat_id, (start, end))
    await reply_html(
        update,
        t.gettext("Quiet from {start} to {end}: stories wait until then.").format(
            start=_clock(start), end=_clock(end)
        ),
    )


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler("delivery", delivery))
    application.add_handler(CommandHandler("quiet", quiet))
