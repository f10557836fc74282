"""/sources (follow or mute a feed) and /feed add|remove for the bot's operators."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.callbacks import Action, Button
from bot.fetch_errors import fetch_error_text
from bot.formatting import escape
from bot.handlers.common import (
    argument_text,
    chat_id_of,
    keyboard,
    matches,
    open_change_button,
    translator_for,
)
from bot.i18n import N_, Translator
from bot.ingest_errors import ingest_error_text
from bot.redaction import mask_url
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext
from feeds import FetchError
from storage import Feed, Headline, IngestError, StorageError
from storage import feeds as feed_rows
from storage.ingest.feeds import parse_feed
from storage.timestamps import now_utc

__all__ = ["followed_headlines", "register"]

_LOGGER = logging.getLogger(__name__)

_ADMINS_ONLY = N_("Only this group's admins can change which sources it follows.")
_OPERATORS_ONLY = N_(
    "Sorry, only the bot's operators can add or remove feeds. "
    "/sources shows the feeds I read, and you can follow or mute any of them."
)
_FEED_USAGE = N_(
    "Add or remove a feed:\n/feed add https://example.com/rss.xml\n/feed remove 3 "
    "(a number from /sources, or the address)"
)
# An inline keyboard holds at most 100 buttons; two per feed.
_MAX_LISTED = 40
_LABEL_CHARACTERS = 28


def _name(feed: Feed, t: Translator) -> str:
    return feed.title or t.gettext("Feed {number}").format(number=feed.id)


def _short(text: str) -> str:
    return text if len(text) <= _LABEL_CHARACTERS else text[: _LABEL_CHARACTERS - 1] + "…"


def _is_operator(update: Update, context: NewsContext) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.services.settings.admin_ids


def _sources_text(
    feeds: list[Feed], choices: dict[int, bool], t: Translator, *, show_addresses: bool
) -> str:
    if not feeds:
        return t.gettext("I read no feeds yet.")
    lines = [t.gettext("<b>Sources I read</b>")]
    following, muted = t.gettext("✓ following"), t.gettext("🔇 muted")
    for feed in feeds[:_MAX_LISTED]:
        choice = choices.get(feed.id)
        mark = "" if choice is None else f" — {following}" if choice else f" — {muted}"
        line = f"{feed.id}. {escape(_name(feed, t))}{mark}"
        if show_addresses:
            line += f"\n    <code>{escape(feed.url)}</code>"
        lines.append(line)
    if len(feeds) > _MAX_LISTED:
        more = len(feeds) - _MAX_LISTED
        lines.append(
            t.ngettext("…and {count} more source.", "…and {count} more sources.", more).format(
                count=more
            )
        )
    lines.append("")
    lines.append(
        t.gettext(
            "Follow a source to get all its stories in your digest; mute one to never see it."
        )
    )
    followed = [feed_id for feed_id, follow in choices.items() if follow]
    if followed:
        lines.append(
            t.gettext("A followed source as it happens: /delivery source {number} live").format(
                number=min(followed)
            )
        )
    return "\n".join(lines)


def _sources_keyboard(
    feeds: list[Feed], choices: dict[int, bool], t: Translator
) -> list[list[tuple[str, Button]]]:
    rows: list[list[tuple[str, Button]]] = []
    unmute_label = "🔊 " + t.pgettext("source button", "Unmute")
    mute_label = "🔇 " + t.pgettext("source button", "Mute")
    for feed in feeds[:_MAX_LISTED]:
        name = _short(_name(feed, t))
        choice = choices.get(feed.id)
        follow = (
            (f"✓ {name}", Button(Action.SOURCE, f"n{feed.id}"))
            if choice is True
            else (f"➕ {name}", Button(Action.SOURCE, f"f{feed.id}"))
        )
        mute = (
            (unmute_label, Button(Action.SOURCE, f"n{feed.id}"))
            if choice is False
            else (mute_label, Button(Action.SOURCE, f"m{feed.id}"))
        )
        rows.append([follow, mute])
    return rows


async def _render(
    update: Update, context: NewsContext, t: Translator
) -> tuple[str, list[list[tuple[str, Button]]]]:
    feeds = await context.services.store.feeds.all()
    choices = await context.services.store.controls.source_choices(chat_id_of(update))
    chat = update.effective_chat
    # Feed addresses may carry private tokens: only an operator in a private chat sees them.
    show_addresses = (
        _is_operator(update, context) and chat is not None and chat.type == ChatType.PRIVATE
    )
    return (
        _sources_text(feeds, choices, t, show_addresses=show_addresses),
        _sources_keyboard(feeds, choices, t),
    )


async def followed_headlines(context: NewsContext, chat_id: int, *, limit: int) -> list[Headline]:
    """The newest headlines of the feeds the chat follows (none when it follows none)."""
    controls = context.services.store.controls
    followed = (await controls.followed_sources([chat_id])).get(chat_id, [])
    return await controls.source_headlines([source.feed_id for source in followed], limit=limit)


async def sources(update: Update, context: NewsContext) -> None:
    """The feeds I read, with buttons to follow or mute each."""
    text, rows = await _render(update, context, await translator_for(update, context))
    await reply_html(update, text, reply_markup=keyboard(rows) if rows else None)


async def source_button(update: Update, context: NewsContext) -> None:
    """Follow, mute or reset a source from a button press, and redraw the list."""
    opened = await open_change_button(update, context, _ADMINS_ONLY)
    if opened is None:
        return
    query, button, t = opened
    choice, feed_id = button.argument[:1], button.argument[1:]
    if choice not in ("f", "m", "n") or not (feed_id.isascii() and feed_id.isdigit()):
        await query.answer(t.gettext("That button has expired. Send /sources again."))
        return
    known = {feed.id: feed for feed in await context.services.store.feeds.all()}
    if int(feed_id) not in known:
        await query.answer(t.gettext("I no longer read that source. Send /sources again."))
        return
    follow = {"f": True, "m": False, "n": None}[choice]
    await context.services.store.controls.set_source(chat_id_of(update), int(feed_id), follow)
    name = _name(known[int(feed_id)], t)
    answers = {
        True: t.gettext("Following {name}"),
        False: t.gettext("Muted {name}"),
        None: t.gettext("Back to normal: {name}"),
    }
    await query.answer(answers[follow].format(name=name)[:200])
    text, rows = await _render(update, context, t)
    await query.edit_message_text(text, reply_markup=keyboard(rows) if rows else None)


async def feed(update: Update, context: NewsContext) -> None:
    """Operators only: /feed add URL checks and adds a feed; /feed remove <id|URL> drops one."""
    t = await translator_for(update, context)
    if not _is_operator(update, context):
        await reply_html(update, t.gettext(_OPERATORS_ONLY))
        return
    action, _, target = argument_text(context).partition(" ")
    target = target.strip()
    if action.lower() == "add" and target:
        await reply_html(update, await _add_feed(context, target, t))
    elif action.lower() == "remove" and target:
        removed = await context.services.store.feeds.remove(target)
        if removed is None:
            text = t.gettext("I do not read {feed}. /sources lists the feeds.").format(
                feed=escape(target)
            )
        else:
            text = t.gettext("Removed feed {number}: {name}. Its stories stay.").format(
                number=removed.id, name=escape(_name(removed, t))
            )
        await reply_html(update, text)
    else:
        await reply_html(update, escape(t.gettext(_FEED_USAGE)))


async def _add_feed(context: NewsContext, url: str, t: Translator) -> str:
    services = context.services
    try:
        url = feed_rows.check_feed_url(url)
    except StorageError:
        return t.gettext("That is not a web address. Send /feed add https://example.com/rss.xml")
    known = {known_feed.url: known_feed for known_feed in await services.store.feeds.all()}
    if url in known:
        return t.gettext("I already read that feed ({number}. {name}).").format(
            number=known[url].id, name=escape(_name(known[url], t))
        )
    try:
        response = await services.http.get(url)
        parsed = await asyncio.to_thread(
            parse_feed, response.body, name=mask_url(url), content_type=response.content_type
        )
    except (FetchError, IngestError) as error:
        _LOGGER.info("Refused feed %s: %s", mask_url(url), error)
        reason = (
            fetch_error_text(error, t)
            if isinstance(error, FetchError)
            else ingest_error_text(error, t)
        )
        return t.gettext(
            "That address did not give me an RSS or Atom feed, so I did not add it:\n{reason}"
        ).format(reason=escape(reason))
    added, report = await services.store.feeds.add_fetched(
        url,
        title=parsed.title,
        records=parsed.records,
        etag=response.etag,
        last_modified=response.last_modified,
        next_poll_at=now_utc() + timedelta(minutes=services.settings.feed_poll_minutes),
    )
    new_stories = report.new_articles + report.new_headlines
    return t.ngettext(
        "Added feed {number}: <b>{name}</b> ({count} new story). /sources lists all feeds.",
        "Added feed {number}: <b>{name}</b> ({count} new stories). /sources lists all feeds.",
        new_stories,
    ).format(number=added.id, name=escape(_name(added, t)), count=new_stories)


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler("sources", sources))
    application.add_handler(CommandHandler("feed", feed))
    application.add_handler(CallbackQueryHandler(source_button, pattern=matches(Action.SOURCE)))
