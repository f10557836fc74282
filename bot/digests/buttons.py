"""The buttons under a digest story: full summary, more like this, mute topic.

Their callback data has its own prefix (``D``), so the general button format in
``bot.callbacks`` stays as it is; a press whose data we cannot read is answered politely.
"""

from __future__ import annotations

import hashlib
import re

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.callbacks import MAX_CALLBACK_BYTES
from bot.digests.formatting import DigestButton
from bot.formatting import escape, headline_list
from bot.handlers.common import can_change_chat, chat_id_of, translator_for
from bot.handlers.summaries import article_card
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext
from storage import Headline

__all__ = ["PATTERN", "callback_data", "parse_callback_data", "register"]

_PREFIX = "D"
_CODES = {"summary": "s", "more": "m", "mute": "x"}
_ACTIONS = {code: action for action, code in _CODES.items()}
PATTERN = re.compile(rf"^{_PREFIX}[{''.join(_CODES.values())}]:")
_HASH_PREFIX = "#"
_MORE_LIKE_THIS = 5


def _topic_hash(topic: str) -> str:
    return _HASH_PREFIX + hashlib.sha256(topic.encode("utf-8")).hexdigest()[:12]


def callback_data(button: DigestButton) -> str:
    """``D<code>:<value>``; a topic too long for 64 bytes is replaced by a short hash."""
    data = f"{_PREFIX}{_CODES[button.action]}:{button.value}"
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES or button.value.startswith(_HASH_PREFIX):
        data = f"{_PREFIX}{_CODES[button.action]}:{_topic_hash(button.value)}"
    return data


def parse_callback_data(data: str | None) -> tuple[str, str] | None:
    """(action, value) from callback data, or None when it is not a digest button."""
    if not data or not PATTERN.match(data):
        return None
    return _ACTIONS[data[1]], data[3:]


async def digest_button(update: Update, context: NewsContext) -> None:
    """Answer a press on a digest story's button."""
    query = update.callback_query
    parsed = parse_callback_data(query.data if query else None)
    if query is None or parsed is None:
        return
    action, value = parsed
    services = context.services
    chat_id = chat_id_of(update)
    t = await translator_for(update, context)
    if action == "mute":
        await _mute(update, context, value)
        return
    # The data comes from the client: only ASCII digits within SQLite's integer range are ids
    # ('²'.isdigit() is true but int('²') raises; a longer number overflows SQLite).
    is_id = value.isascii() and value.isdigit() and len(value) <= 18
    article = await services.store.get_article(int(value)) if is_id else None
    if article is None:
        await query.answer(t.gettext("That story is no longer stored."))
        return
    await query.answer()
    chat = await services.store.get_chat(chat_id)
    time_zone = chat.time_zone if chat else "UTC"
    if action == "summary":
        await reply_html(update, await article_card(context, article, chat, t))
    else:
        hits = await services.store.search(article.title, limit=_MORE_LIKE_THIS + 5)
        similar = [
            Headline(
                hit.article.id,
                hit.article.title,
                hit.article.url,
                hit.article.source,
                hit.article.published_at,
            )
            for hit in hits
            if hit.article.story_id != article.story_id
        ][:_MORE_LIKE_THIS]
        if similar:
            heading = t.gettext("More like “{title}”").format(title=article.title[:80])
            await reply_html(update, headline_list(heading, similar, time_zone=time_zone, t=t))
        else:
            nothing = t.gettext("Nothing else like “{title}” yet.")
            await reply_html(update, nothing.format(title=escape(article.title[:80])))


async def _mute(update: Update, context: NewsContext, value: str) -> None:
    query = update.callback_query
    assert query is not None
    t = await translator_for(update, context)
    if not await can_change_chat(update, context):
        await query.answer(
            t.gettext("Only this group's admins can change its topics."), show_alert=True
        )
        return
    store = context.services.store
    chat_id = chat_id_of(update)
    topics = await store.list_subscriptions(chat_id)
    if value.startswith(_HASH_PREFIX):
        topic = next((name for name in topics if _topic_hash(name) == value), None)
    else:
        topic = value if value in topics else None
    if topic is None:
        await query.answer(t.gettext("You no longer follow that topic."))
        return
    await store.unsubscribe(chat_id, topic)
    muted = t.gettext("Muted {topic}. /subscribe {topic} follows it again.")
    await query.answer(muted.format(topic=topic)[:200])


def register(application: NewsApplication) -> None:
    """Add the digest button handler; call before the catch-all stale-button handler."""
    application.add_handler(CallbackQueryHandler(digest_button, pattern=PATTERN))
