"""``/digest``: the chat's digest now, built and sent exactly as a scheduled one, logged the same.

The messages are the scheduled digest's own: split between stories, each with the buttons of
its stories (full summary, more like this, mute topic). Each message's articles are written to
the delivery log right before it is sent, so the next scheduled digest does not repeat them;
a message Telegram refuses is taken back out of the log. The scheduled digest's window is
left as it is.
"""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.error import TelegramError

from bot.digests.builder import ChatDigest, DigestBuilder
from bot.i18n import N_, resolve_language, translator
from bot.pictures import NO_PREVIEW, top_story_preview
from bot.replies import reply_html
from bot.services import Services
from storage.digests import DigestQueries
from storage.reader_controls import ReaderControls

__all__ = ["NOTHING_NEW", "build_digest_now", "reply_with_digest"]

NOTHING_NEW = N_(
    "Nothing new on your topics since your last digest. /latest shows the newest headlines."
)


async def build_digest_now(
    services: Services, chat_id: int, *, now: datetime | None = None, via: str | None = None
) -> ChatDigest | None:
    """The chat's digest as of ``now`` (nothing logged); None when it follows nothing."""
    if not await services.store.list_subscriptions(chat_id) and not (
        await ReaderControls(services.store.database).followed_sources([chat_id])
    ):
        return None
    chat = await DigestQueries(services.store.database).digest_chat(chat_id)
    if chat is None:
        return None
    # On demand, the stories of topics delivered as they happen are here too: the live cap's
    # "5 more on ukraine" message sends readers to /digest for them.
    builder = DigestBuilder(
        services.store,
        services.summarizer,
        now=now or datetime.now(UTC),
        delivery=("daily", "live"),
        via=via,
    )
    [digest] = await builder.build([chat])
    return digest


async def reply_with_digest(
    update: Update, services: Services, chat_id: int, *, now: datetime | None = None
) -> bool:
    """Answer ``update`` with the chat's digest messages; False (nothing sent) without topics."""
    now = now or datetime.now(UTC)
    digest = await build_digest_now(services, chat_id, now=now)
    if digest is None:
        return False
    if not digest.messages:
        t = translator(resolve_language(digest.chat.language))
        await reply_html(update, t.gettext(NOTHING_NEW))
        return True
    # Imported here: the digest buttons' module holds their handler and so imports
    # bot.handlers, whose /digest handler imports this module.
    from bot.digests.delivery import keyboard  # noqa: PLC0415

    queries = DigestQueries(services.store.database)
    preview = await top_story_preview(
        services.store, chat_id, digest.messages[0].article_ids, enabled=services.settings.previews
    )
    for index, message in enumerate(digest.messages):
        await queries.record_deliveries(chat_id, message.article_ids, now)
        try:
            # Each message already fits Telegram's limit as Telegram counts it (after parsing),
            # so it is sent whole: the general splitter counts the HTML and would cut it.
            if update.effective_message is not None:
                await update.effective_message.reply_html(
                    message.text,
                    reply_markup=keyboard(message.buttons),
                    link_preview_options=preview if index == 0 else NO_PREVIEW,
                )
        except TelegramError:
            # Not sent: its stories stay for the next digest, as with a scheduled message.
            await queries.forget_deliveries(chat_id, message.article_ids)
            raise
    return True
