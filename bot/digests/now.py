"""A chat's digest now, built exactly as a scheduled one (``/digest`` and ``/channel`` send it)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.digests.builder import ChatDigest, DigestBuilder
from bot.services import Services

__all__ = ["build_digest_now"]


async def build_digest_now(
    services: Services, chat_id: int, *, now: datetime | None = None, via: str | None = None
) -> ChatDigest | None:
    """The chat's digest as of ``now`` (nothing logged); None when it follows nothing."""
    if not await services.store.subscriptions.topics(chat_id) and not (
        await services.store.controls.followed_sources([chat_id])
    ):
        return None
    chat = await services.store.chats.get(chat_id)
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
