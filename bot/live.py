"""Delivery "as it happens": each new story on a live topic posted on its own, as /summary's card.

Every ``LIVE_TICK_SECONDS`` a run (1) matches articles fetched since the last scan against the
topics chats follow live, with the digest's topic matching and mute filters, and queues one
row per chat and *story* (two sources of one event are one post, and a story already
delivered to the chat is never queued) in the same transaction that moves the scan
watermark, so a kill loses nothing; (2) posts each chat's queue through the digest sender
(its pacing under Telegram's limits, and its delivery log written right before each send),
taking a row off the queue only after its send. After a restart, queued stories already in
the delivery log are dropped, not posted again. Quiet hours (the chat's time zone) hold the
queue; past ``cap`` posts in an hour the rest goes into one "5 more on ukraine" message,
and those stories stay for /digest (a channel, whose followers cannot send it, gets their
links in that message).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from telegram import Bot

from bot.cards import article_card
from bot.digests.delivery import DeliveryOutcome, DigestPacer, DigestSender
from bot.digests.formatting import DigestMessage, via_line
from bot.formatting import MESSAGE_LIMIT, escape, link, visible_length
from bot.i18n import Translator, resolve_language, translator
from bot.services import NewsApplication, NewsContext
from storage import Article, Chat, Store
from storage.live import QueuedStory
from storage.reader_controls import ReaderFilter

__all__ = ["LIVE_TICK_SECONDS", "LiveDelivery", "LiveReport", "install", "is_quiet"]

_LOGGER = logging.getLogger(__name__)

LIVE_TICK_SECONDS = 30.0
# The first scan looks this far back; later scans overlap the previous one a little, so an
# article committed while the last scan ran is still seen (the queue's key stops repeats).
_FIRST_SCAN = timedelta(hours=1)
_OVERLAP = timedelta(minutes=2)
_HOUR = timedelta(hours=1)
_SENDERS = 32
# A channel's batched message links this many stories (titles clipped), well under 4096.
_BATCH_LINKS = 10
_TITLE_CHARS = 160

CardMaker = Callable[[Article, Chat | None, Translator], Awaitable[str]]


@dataclass
class LiveReport:
    """What one run did."""

    queued: int = 0
    posted: int = 0
    batched: int = 0
    held_quiet: int = 0


def is_quiet(now: datetime, time_zone: str, hours: tuple[int, int] | None) -> bool:
    """Whether ``now`` falls in the quiet hours (minutes after local midnight, may wrap)."""
    if hours is None:
        return False
    local = now.astimezone(ZoneInfo(time_zone))
    minute = local.hour * 60 + local.minute
    start, end = hours
    if start <= end:
        return start <= minute < end
    return minute >= start or minute < end


class LiveDelivery:
    """Queues and posts live stories for one bot and one store; ``tick()`` starts a run."""

    def __init__(
        self,
        store: Store,
        bot: Bot,
        card: CardMaker,
        *,
        cap: int = 10,
        clock: Callable[[], datetime] | None = None,
        keep_going: Callable[[], bool] = lambda: True,
        on_sent: Callable[[int], None] | None = None,
        previews: bool = True,
        via: str | None = None,
    ) -> None:
        self._store = store
        self._live = store.live
        self._digests = store.digests
        self._controls = store.controls
        self._card = card
        # "@newsbot": a post to a channel ends "via @newsbot" (NEWSBOT_CHANNEL_VIA); None: not.
        self._via = via
        self._cap = cap
        self._clock = clock or (lambda: datetime.now(UTC))
        self._keep_going = keep_going
        # A story posted alone shows its picture, as /summary's card does (bot.pictures).
        self._sender = DigestSender(bot, store, DigestPacer(), on_sent=on_sent, previews=previews)
        self._run: asyncio.Task[LiveReport] | None = None

    def tick(self, spawn: Callable[..., asyncio.Task[LiveReport]] | None = None) -> None:
        """Start a run unless one is going."""
        if self._run is None or self._run.done():
            run = self.run_once()
            self._run = spawn(run) if spawn else asyncio.create_task(run, name="live-run")

    async def stop(self) -> None:
        """Cancel the current run (the message in flight is finished by the sender)."""
        if self._run is not None and not self._run.done():
            self._run.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._run

    async def run_once(self, now: datetime | None = None) -> LiveReport:
        """Queue what is new, then post every chat's queue."""
        now = now or self._clock()
        report = LiveReport(queued=await self.scan(now))
        chats: asyncio.Queue[int | None] = asyncio.Queue()
        for chat_id in await self._live.pending_chats():
            chats.put_nowait(chat_id)
        workers = [
            asyncio.create_task(self._post_from(chats, now, report)) for _ in range(_SENDERS)
        ]
        for _ in workers:
            chats.put_nowait(None)
        try:
            await asyncio.gather(*workers)
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
        if report.queued or report.posted:
            _LOGGER.info(
                "Live run: %d queued, %d posted, %d batched, %d chats in quiet hours",
                report.queued,
                report.posted,
                report.batched,
                report.held_quiet,
            )
        return report

    async def scan(self, now: datetime) -> int:
        """Queue the new stories matching each chat's live topics; returns how many."""
        since = await self._live.scanned_until()
        since = (since - _OVERLAP) if since else now - _FIRST_SCAN
        stories: list[QueuedStory] = []
        for topic, chat_ids in (await self._live.live_topics()).items():
            matches = await self._digests.topic_matches(topic, since=since)
            stories += await self._queue_for(topic, [m.article_id for m in matches], chat_ids)
        # A source followed as it happens is a topic matching every story of its feed.
        for (feed_id, name), chat_ids in (await self._live.live_sources()).items():
            article_ids = await self._controls.source_article_ids(feed_id, since=since)
            stories += await self._queue_for(name, article_ids, chat_ids)
        return await self._live.enqueue(stories, scanned_until=now, now=now)

    async def _queue_for(
        self, topic: str, article_ids: list[int], chat_ids: list[int]
    ) -> list[QueuedStory]:
        """The stories of ``article_ids`` for each chat, without what the chat muted."""
        if not article_ids:
            return []
        articles = await self._digests.digest_articles(article_ids)
        # Oldest first, so a chat reads the story as it unfolded.
        ordered = sorted(articles.values(), key=lambda article: (article.fetched_at, article.id))
        filters = await self._controls.reader_filters(chat_ids)
        stories: list[QueuedStory] = []
        for chat_id in chat_ids:
            hidden = await self._controls.muted_articles(
                filters.get(chat_id, ReaderFilter()), (a.id for a in ordered)
            )
            stories += [
                QueuedStory(chat_id, article.story_id, article.id, topic)
                for article in ordered
                if article.id not in hidden
            ]
        return stories

    async def _post_from(
        self, chats: asyncio.Queue[int | None], now: datetime, report: LiveReport
    ) -> None:
        while (chat_id := await chats.get()) is not None:
            if not self._keep_going():
                return
            await self._post_chat(chat_id, now, report)

    async def _post_chat(self, chat_id: int, now: datetime, report: LiveReport) -> None:
        chat = await self._store.chats.get(chat_id)
        if chat is None or not chat.active or chat.paused:
            return
        if is_quiet(now, chat.time_zone, await self._live.quiet_hours(chat_id)):
            report.held_quiet += 1
            return
        queued = await self._live.pending(chat_id)
        # Logged as delivered but still queued: a kill came between the send and the queue's
        # update. Posting it again could repeat it; dropping it cannot.
        delivered = await self._live.delivered(chat_id, [story.story_id for story in queued])
        if delivered:
            await self._live.done(chat_id, sorted(delivered), posted_at=None, batched=False)
            queued = [story for story in queued if story.story_id not in delivered]
        singles, batches = await self._live.posts_since(chat_id, now - _HOUR)
        room = max(self._cap - singles, 0)
        t = translator(resolve_language(chat.language))
        for story in queued[:room]:
            outcome = await self._post_story(chat, story, now, t)
            if outcome is DeliveryOutcome.BLOCKED:
                return
            if outcome is not DeliveryOutcome.SENT:
                # Refused, or to be retried: a refused story is dropped, the rest wait.
                if outcome is DeliveryOutcome.FAILED:
                    await self._live.done(chat_id, [story.story_id], posted_at=None, batched=False)
                return
            report.posted += 1
        rest = queued[room:]
        if not rest:
            return
        if batches:
            # One batched message an hour; later stories wait for /digest.
            await self._live.done(
                chat_id, [s.story_id for s in rest], posted_at=None, batched=False
            )
            return
        if await self._post_batch(chat, rest, now, t) is DeliveryOutcome.SENT:
            report.batched += 1

    async def _post_story(
        self, chat: Chat, story: QueuedStory, now: datetime, t: Translator
    ) -> DeliveryOutcome:
        article = await self._store.articles.get(story.article_id)
        if article is None:
            await self._live.done(chat.id, [story.story_id], posted_at=None, batched=False)
            return DeliveryOutcome.FAILED
        text = await self._card(article, chat, t)
        if self._via and chat.kind == "channel":
            signed = f"{text}\n\n{via_line(self._via, resolve_language(chat.language))}"
            text = signed if visible_length(signed) <= MESSAGE_LIMIT else text
        message = DigestMessage(
            text=text, buttons=(), article_ids=(article.id,), story_ids=(story.story_id,)
        )
        outcome = await self._sender.send_digest(
            chat.id,
            [message],
            at=now,
            message_thread_id=chat.message_thread_id,
            keep_going=self._keep_going,
        )
        if outcome is DeliveryOutcome.SENT:
            await self._live.done(chat.id, [story.story_id], posted_at=now, batched=False)
        return outcome

    async def _post_batch(
        self, chat: Chat, rest: list[QueuedStory], now: datetime, t: Translator
    ) -> DeliveryOutcome:
        counts = Counter(story.topic for story in rest)
        parts = [
            t.ngettext("{count} more on {topic}", "{count} more on {topic}", count).format(
                count=count, topic=f"<b>{escape(topic)}</b>"
            )
            for topic, count in counts.most_common()
        ]
        more = ", ".join(parts)
        if chat.kind == "channel":
            # A channel's followers cannot send /digest: the message links the stories instead.
            text = await self._linked_batch(chat, rest, more, t)
        else:
            text = t.gettext("{more}. /digest shows them.").format(more=more)
        # Not logged as delivered: these stories are what /digest brings.
        message = DigestMessage(text=text, buttons=(), article_ids=(), story_ids=())
        outcome = await self._sender.send_digest(
            chat.id, [message], at=now, message_thread_id=chat.message_thread_id
        )
        if outcome in (DeliveryOutcome.SENT, DeliveryOutcome.FAILED):
            await self._live.done(
                chat.id,
                [story.story_id for story in rest],
                posted_at=now if outcome is DeliveryOutcome.SENT else None,
                batched=True,
            )
        return outcome

    async def _linked_batch(
        self, chat: Chat, rest: list[QueuedStory], more: str, t: Translator
    ) -> str:
        """ "5 more on ukraine:" and a linked title per story, in a channel's batched message."""
        lines = [t.gettext("{more}:").format(more=more)]
        for story in rest[:_BATCH_LINKS]:
            article = await self._store.articles.get(story.article_id)
            if article is not None:
                lines.append(f"• {link(article.title[:_TITLE_CHARS], article.url)}")
        if len(rest) > _BATCH_LINKS:
            lines.append("…")
        if self._via:
            lines += ["", via_line(self._via, resolve_language(chat.language))]
        return "\n".join(lines)


class _LiveSlot:
    """The application's live delivery, made on the first tick (services exist after init)."""

    def __init__(self) -> None:
        self.delivery: LiveDelivery | None = None

    async def tick(self, context: NewsContext) -> None:
        application = context.application
        if not application.running:
            return
        if self.delivery is None:
            services = context.services
            self.delivery = LiveDelivery(
                services.store,
                context.bot,
                partial(article_card, context.services),
                cap=services.settings.live_cap,
                keep_going=lambda: application.running,
                previews=services.settings.previews,
                via=f"@{context.bot.username}" if services.settings.channel_via else None,
            )
        self.delivery.tick(lambda run: application.create_task(run, name="live-run"))


def install(application: NewsApplication) -> None:
    """Register the live-delivery tick on the JobQueue."""
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("live delivery needs the JobQueue (python-telegram-bot[job-queue])")
    job_queue.run_repeating(
        _LiveSlot().tick,
        interval=LIVE_TICK_SECONDS,
        first=2.0,
        name="live",
        job_kwargs={"max_instances": 1, "coalesce": True},
    )
