"""``/digest``: the chat's digest now, built exactly as a scheduled one and logged the same way."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.digests.builder import DigestBuilder
from bot.i18n import N_, resolve_language, translator
from bot.services import Services
from storage.digests import DigestQueries
from storage.reader_controls import ReaderControls

__all__ = ["NOTHING_NEW", "build_digest_now"]

NOTHING_NEW = N_(
    "Nothing new on your topics since your last digest. /latest shows the newest headlines."
)


async def build_digest_now(
    services: Services, chat_id: int, *, now: datetime | None = None
) -> str | None:
    """The chat's digest as Telegram HTML; None when it follows no topics.

    Stories shown here are logged as delivered, so the next scheduled digest does not repeat
    them; the scheduled digest's window is left as it is.
    """
    if not await services.store.list_subscriptions(chat_id) and not (
        await ReaderControls(services.store.database).followed_sources([chat_id])
    ):
        return None
    queries = DigestQueries(services.store.database)
    chat = await queries.digest_chat(chat_id)
    if chat is None:
        return None
    now = now or datetime.now(UTC)
    [digest] = await DigestBuilder(services.store, services.summarizer, now=now).build([chat])
    if not digest.messages:
        return translator(resolve_language(chat.language)).gettext(NOTHING_NEW)
    for message in digest.messages:
        await queries.record_deliveries(chat_id, message.article_ids, now)
    # Blank lines between parts let the reply splitter cut exactly where the digest did.
    return "\n\n".join(message.text for message in digest.messages)
