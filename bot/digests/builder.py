"""Building digests for a page of chats: selection, ranking, summaries, related, formatting.

One builder serves one scheduler run (one ``now``): per-topic rankings, summaries and related
headlines are computed once and shared by every chat of the run, so the per-chat work is a
merge of a few short lists and some string formatting.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from cachetools import TTLCache

from bot.digests.formatting import MAX_RELATED, DigestItem, DigestMessage, format_digest
from bot.digests.ranking import (
    DEFAULT_WEIGHTS,
    RankedStory,
    RankingWeights,
    fold_related,
    merge_same_stories,
    pick_stories,
)
from bot.digests.ranking import rank_topic as rank_topic_stories
from bot.digests.schedule import zone
from bot.i18n import resolve_language
from storage import Article, RelatedHeadline, Store
from storage.digests import DigestArticle, StoryMember, TopicMatch
from storage.models import Chat
from storage.reader_controls import FollowedSource, ReaderFilter
from summaries import DEFAULT_ALGORITHM, SummariesError

__all__ = [
    "ArticleSummaries",
    "ChatDigest",
    "DigestBuilder",
    "RelatedCache",
    "digest_length",
]

_LOGGER = logging.getLogger(__name__)

# Sentences per digest summary for each /settings length (as SUMMARY_LENGTHS, so the cache is
# shared with summary cards): the card shows one or two, medium and long fold the rest.
_DIGEST_SENTENCES = {"short": 2, "medium": 3, "long": 5}
# How many of a topic's best stories are compared for reports of the same event.
_MERGE_CANDIDATES = 30
# How many summaries may be computed at once for one run (the executor bounds CPU anyway).
_SUMMARY_CONCURRENCY = 4
# Chats handled between two yields to the event loop: about 10 ms of work on this machine,
# so interactive replies and the digest pacer's send slots are never held up for long.
_YIELD_EVERY = 32
# Names a story shares with another before it is shown as that story's other angle.
_ANGLE_SHARED_NAMES = 2
# Deliveries older than the widest window cannot exclude a candidate, so they are not read.
_DELIVERY_MEMORY = timedelta(days=7)


def _source_key(source: FollowedSource) -> str:
    # Not a possible topic (topics are trimmed), so a source never shares a topic's ranking.
    return f" source {source.feed_id}"


def digest_length(summary_length: str) -> str:
    """The Summarizer length name a digest card uses for the chat's summary-length setting."""
    return summary_length if summary_length in _DIGEST_SENTENCES else "short"


class ArticleSummaries(Protocol):
    """What the builder needs from the bot's Summarizer (cached, off the event loop)."""

    async def summarize_article(
        self, article: Article, *, length: str = "medium"
    ) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class _ChoiceKey:
    """What a chat's stories depend on: its topics, window, digest size and history."""

    topics: tuple[str, ...]
    lookback_hours: int
    since: datetime
    max_stories: int
    skipped: frozenset[int]


@dataclass(frozen=True, slots=True)
class _Readers:
    """A page of chats' topics, followed sources, filters and delivered stories, by chat id."""

    topics: dict[int, list[str]]
    sources: dict[int, list[FollowedSource]]
    filters: dict[int, ReaderFilter]
    delivered: dict[int, set[int]]


@dataclass(frozen=True, slots=True)
class _Choice:
    """A chat's chosen stories, best first."""

    chat: Chat
    key: _ChoiceKey
    stories: list[RankedStory]


@dataclass(frozen=True, slots=True)
class ChatDigest:
    """A chat's digest for one run: its messages (none when nothing is new)."""

    chat: Chat
    messages: tuple[DigestMessage, ...]
    topics: tuple[str, ...] = ()


class RelatedCache(TTLCache[int, tuple[RelatedHeadline, ...]]):
    """Related headlines per article, kept for a while across runs (they change slowly)."""

    def __init__(self, *, ttl_seconds: float = 1800.0, max_entries: int = 20_000) -> None:
        super().__init__(maxsize=max_entries, ttl=ttl_seconds)


class DigestBuilder:
    """Builds digests as of ``now`` for chats of one run."""

    def __init__(
        self,
        store: Store,
        summaries: ArticleSummaries | None,
        *,
        now: datetime,
        related_cache: RelatedCache | None = None,
        algorithm: str = DEFAULT_ALGORITHM,
        weights: RankingWeights = DEFAULT_WEIGHTS,
        related_limit: int = MAX_RELATED,
        delivery: Sequence[str] = ("daily",),
        via: str | None = None,
    ) -> None:
        self._store = store
        # The delivery modes of the topics and sources this digest covers: the daily digest
        # only "daily" ones (live ones were posted as they happened, "off" ones never go).
        self._delivery = tuple(delivery)
        # "@newsbot": a channel's digest ends "via @newsbot" (NEWSBOT_CHANNEL_VIA); None: not.
        self._via = via
        self._queries = store.digests
        self._controls = store.controls
        self._summaries = summaries
        self.now = now
        self.related_cache = related_cache if related_cache is not None else RelatedCache()
        self._algorithm = algorithm
        self._weights = weights
        self._related_limit = related_limit
        self._ranked: dict[tuple[str, int], list[RankedStory]] = {}
        self._merged: set[tuple[str, int]] = set()
        self._summary_text: dict[tuple[int, str], tuple[str, ...]] = {}
        self._summary_guard = asyncio.Semaphore(_SUMMARY_CONCURRENCY)
        self._related_by_story: dict[tuple[int, int], tuple[RelatedHeadline, ...]] = {}
        # Article id -> the stored articles related to it (either naming the other), for the run.
        self._linked: dict[int, set[int]] = {}
        self._related_loaded: set[int] = set()
        self._candidates: dict[_ChoiceKey, list[RankedStory]] = {}
        self._chosen: dict[_ChoiceKey, list[RankedStory]] = {}
        self._items: dict[tuple[_ChoiceKey, str], list[DigestItem]] = {}
        self._articles: dict[int, DigestArticle] = {}
        self._members: dict[int, list[StoryMember]] = {}

    def window_start(self, chat: Chat) -> datetime:
        """Articles stored after this time are new for the chat."""
        floor = self.now - timedelta(hours=chat.lookback_hours)
        if chat.last_digest_at is None or chat.last_digest_at < floor:
            # A first digest, or one after a long pause, covers the lookback period.
            return floor
        return chat.last_digest_at

    async def build(self, chats: Sequence[Chat]) -> list[ChatDigest]:
        """Digests for ``chats`` (in the same order)."""
        if not chats:
            return []
        choices = await self._choose(chats)
        await self._load_summaries(
            (story.article.id, digest_length(choice.chat.summary_length))
            for choice in choices
            for story in choice.stories
        )
        digests: list[ChatDigest] = []
        for index, choice in enumerate(choices):
            digests.append(self._render(choice))
            if index % _YIELD_EVERY == _YIELD_EVERY - 1:
                await asyncio.sleep(0)
        return digests

    async def _choose(self, chats: Sequence[Chat]) -> list[_Choice]:
        """Each chat's stories and topics: what is new, ranked, each story once."""
        readers = await self._readers(chats)
        keys: list[tuple[Chat, _ChoiceKey]] = []
        for index, chat in enumerate(chats):
            keys.append((chat, await self._choice_key(chat, readers)))
            if index % _YIELD_EVERY == _YIELD_EVERY - 1:
                # Long pages of chats stay interleaved with interactive updates.
                await asyncio.sleep(0)
        await self._load_related(
            {story.article.id for _, key in keys for story in self._candidates[key]}
        )
        return [_Choice(chat, key, self._folded(key)) for chat, key in keys]

    async def _readers(self, chats: Sequence[Chat]) -> _Readers:
        """What the chats follow, mute and had, with every topic they follow ranked."""
        chat_ids = [chat.id for chat in chats]
        earliest = min(self.window_start(chat) for chat in chats)
        readers = _Readers(
            topics=await self._queries.chat_topics(chat_ids, modes=self._delivery),
            # Reader controls: followed sources are extra topics named after their feed;
            # stories with a muted word or from a muted source count as delivered.
            sources={
                chat_id: [source for source in sources if source.delivery in self._delivery]
                for chat_id, sources in (await self._controls.followed_sources(chat_ids)).items()
            },
            filters=await self._controls.reader_filters(chat_ids),
            delivered=await self._queries.delivered_stories(
                chat_ids, since=earliest - _DELIVERY_MEMORY
            ),
        )
        for chat in chats:
            for topic in readers.topics.get(chat.id, ()):
                await self._rank_topic(topic, chat.lookback_hours)
            for source in readers.sources.get(chat.id, ()):
                await self._rank_source(source, chat.lookback_hours)
        await self._merge_same_stories()
        return readers

    async def _choice_key(self, chat: Chat, readers: _Readers) -> _ChoiceKey:
        """What the chat's stories depend on; its candidates picked when first seen."""
        ranked = {
            topic: self._ranked[(topic, chat.lookback_hours)]
            for topic in readers.topics.get(chat.id, [])
        }
        for source in readers.sources.get(chat.id, ()):
            ranked.setdefault(source.name, self._ranked[(_source_key(source), chat.lookback_hours)])
        since = self.window_start(chat)
        skipped = readers.delivered.get(chat.id, set())
        if chat.id in readers.filters:
            skipped = skipped | await self._muted_stories(
                readers.filters[chat.id],
                ranked,
                since=since,
                skipped=skipped,
                limit=self._candidates_for(chat),
            )
        # Chats with the same topics, window and history get the same stories: they are
        # picked once per run.
        key = _ChoiceKey(
            tuple(ranked), chat.lookback_hours, since, chat.max_stories, frozenset(skipped)
        )
        if key not in self._candidates:
            self._candidates[key] = pick_stories(
                key.topics,
                ranked,
                since=since,
                delivered_stories=key.skipped,
                limit=self._candidates_for(chat),
            )
        return key

    def _candidates_for(self, chat: Chat) -> int:
        # A few more than the digest shows: they take the place of stories folded in as
        # another's related line.
        return chat.max_stories + self._related_limit

    def _folded(self, key: _ChoiceKey) -> list[RankedStory]:
        stories = self._chosen.get(key)
        if stories is None:
            stories = fold_related(
                self._candidates[key],
                self._linked,
                limit=key.max_stories,
                max_angles=self._related_limit,
            )
            self._chosen[key] = stories
        return stories

    def _render(self, choice: _Choice) -> ChatDigest:
        """The chat's digest messages for its chosen stories."""
        chat = choice.chat
        length = digest_length(chat.summary_length)
        local_day = self.now.astimezone(zone(chat.time_zone)).date()
        language = resolve_language(chat.language)
        # Related lines and summaries depend on the stories and the length only.
        items = self._items.get((choice.key, length))
        if items is None:
            items = self._items[(choice.key, length)] = self._items_for(choice.stories, length)
        messages = format_digest(
            items,
            local_day=local_day,
            topics=choice.key.topics,
            language=language,
            length=length,
            time_zone=chat.time_zone,
            now=self.now,
            channel=chat.kind == "channel",
            via=self._via if chat.kind == "channel" else None,
        )
        return ChatDigest(chat, tuple(messages), topics=choice.key.topics)

    def _items_for(self, stories: Sequence[RankedStory], length: str) -> list[DigestItem]:
        # A related headline that is another story of this digest would say it twice, and one
        # shown under an earlier story is not repeated under the next.
        in_digest = {article_id for story in stories for article_id in story.article_ids}
        shown = {story.article.title.casefold() for story in stories}
        items = []
        for story in stories:
            related = self._related_for(story, in_digest, shown)
            shown.update(headline.title.casefold() for headline in related)
            items.append(
                DigestItem(
                    story=story,
                    summary=self._summary_text.get((story.article.id, length), ()),
                    related=related,
                )
            )
        return items

    async def _rank_topic(self, topic: str, lookback_hours: int) -> None:
        key = (topic, lookback_hours)
        if key not in self._ranked:
            since = self.now - timedelta(hours=lookback_hours)
            matches = await self._queries.topic_matches(topic, since=since)
            self._ranked[key] = await self._rank(topic, matches)

    async def _rank(self, name: str, matches: list[TopicMatch]) -> list[RankedStory]:
        """The stories of ``matches`` ranked under ``name`` (a topic or a followed source)."""
        # Topics share many articles: each is read once per run.
        missing = [match.article_id for match in matches if match.article_id not in self._articles]
        self._articles.update(await self._queries.digest_articles(missing))
        articles = {
            match.article_id: self._articles[match.article_id]
            for match in matches
            if match.article_id in self._articles
        }
        stories = {article.story_id for article in articles.values()}
        missing_stories = sorted(stories - self._members.keys())
        found = await self._queries.story_members(missing_stories)
        self._members.update({story: found.get(story, []) for story in missing_stories})
        members = {story: self._members[story] for story in stories}
        # A worker thread: ranking a big topic takes tens of ms, and the interpreter switches
        # back to the event loop every few ms instead of after the whole ranking.
        return await asyncio.to_thread(
            rank_topic_stories,
            name,
            matches,
            articles,
            members,
            now=self.now,
            weights=self._weights,
        )

    async def _merge_same_stories(self) -> None:
        """Fold reworded reports of one event (other sources, other words) into one story."""
        # Rankings are kept for the whole run; each is merged once, when first built.
        fresh = [key for key in self._ranked if key not in self._merged]
        self._merged.update(fresh)
        heads = {
            story.article.id for key in fresh for story in self._ranked[key][:_MERGE_CANDIDATES]
        }
        if len(heads) < 2:
            return
        groups = await self._store.articles.same_story_groups(sorted(heads))
        by_article = {
            article_id: group for group in groups if len(group) > 1 for article_id in group
        }
        if not by_article:
            return
        for key in fresh:
            ranked = self._ranked[key]
            head = merge_same_stories(ranked[:_MERGE_CANDIDATES], by_article)
            self._ranked[key] = head + ranked[_MERGE_CANDIDATES:]

    async def _rank_source(self, source: FollowedSource, lookback_hours: int) -> None:
        key = (_source_key(source), lookback_hours)
        if key not in self._ranked:
            since = self.now - timedelta(hours=lookback_hours)
            article_ids = await self._controls.source_article_ids(source.feed_id, since=since)
            # Every story of a followed feed is equally on topic; recency and coverage rank them.
            matches = [TopicMatch(article_id, 1.0) for article_id in article_ids]
            self._ranked[key] = await self._rank(source.name, matches)

    async def _muted_stories(
        self,
        muted: ReaderFilter,
        ranked: dict[str, list[RankedStory]],
        *,
        since: datetime,
        skipped: set[int],
        limit: int,
    ) -> set[int]:
        """Stories the chat's filter hides, among those ``pick_stories`` could pick.

        It looks at each topic's first ``limit`` new stories not skipped. Those (and a few more)
        are checked, the hidden ones skipped, and the next ones checked, until every story it
        would look at is visible: the pick is the one from checking every ranked story, for a
        digest's worth of checks instead of thousands of articles for broad topics.
        """
        checked: set[int] = set()
        hidden_articles: set[int] = set()
        hidden: set[int] = set()
        window = limit
        while True:
            considered = [
                story
                for stories in ranked.values()
                for story in itertools.islice(
                    (
                        story
                        for story in stories
                        if story.newest_fetched_at > since
                        and story.story_id not in skipped
                        and story.story_id not in hidden
                    ),
                    window,
                )
            ]
            unchecked = {article for story in considered for article in story.article_ids}
            unchecked -= checked
            if not unchecked:
                return hidden
            hidden_articles |= await self._controls.muted_articles(muted, unchecked)
            checked |= unchecked
            hidden |= {
                story.story_id
                for story in considered
                if hidden_articles.intersection(story.article_ids)
            }
            # Looking twice as far each round keeps the rounds few when much is muted.
            window *= 2

    async def _load_summaries(self, wanted: Iterable[tuple[int, str]]) -> None:
        missing_by_length: dict[str, set[int]] = {}
        for article_id, length in wanted:
            if (article_id, length) not in self._summary_text:
                missing_by_length.setdefault(length, set()).add(article_id)
        to_compute: list[tuple[int, str]] = []
        for length, article_ids in missing_by_length.items():
            sentences = _DIGEST_SENTENCES[length]
            cached = await self._store.articles.cached_summaries(
                sorted(article_ids), self._algorithm, sentences
            )
            for article_id in article_ids:
                if article_id in cached:
                    self._summary_text[(article_id, length)] = cached[article_id]
                else:
                    to_compute.append((article_id, length))
        if to_compute and self._summaries is not None:
            await asyncio.gather(*(self._compute_summary(*key) for key in to_compute))

    async def _compute_summary(self, article_id: int, length: str) -> None:
        assert self._summaries is not None
        async with self._summary_guard:
            article = await self._store.articles.get(article_id)
            if article is None:
                return
            try:
                sentences = await self._summaries.summarize_article(article, length=length)
            except SummariesError as error:
                # The card still has its title, source and link; a digest is not held back.
                _LOGGER.warning("No summary for article %d: %s", article_id, error)
                sentences = ()
            self._summary_text[(article_id, length)] = sentences

    async def _load_related(self, article_ids: set[int]) -> None:
        related: dict[int, list[int]] = {}
        for article_id in sorted(article_ids - self._related_loaded):
            headlines = self.related_cache.get(article_id)
            if headlines is None:
                headlines = tuple(
                    await self._store.articles.related(article_id, limit=self._related_limit + 3)
                )
                self.related_cache[article_id] = headlines
            self._related_loaded.add(article_id)
            related[article_id] = [h.article_id for h in headlines if h.article_id is not None]
        if not related:
            return
        names = await self._store.articles.article_names(
            [*related, *(other for others in related.values() for other in others)]
        )
        for article_id, others in related.items():
            for other in others:
                # Another angle on one story is about the same people and places; related
                # news that shares only its theme stays a story of its own.
                shared = names.get(article_id, frozenset()) & names.get(other, frozenset())
                if len(shared) >= _ANGLE_SHARED_NAMES:
                    self._linked.setdefault(article_id, set()).add(other)
                    self._linked.setdefault(other, set()).add(article_id)

    def _related_for(
        self, story: RankedStory, in_digest: set[int], shown: set[str]
    ) -> tuple[RelatedHeadline, ...]:
        key = (story.article.id, story.story_id)
        base = self._related_by_story.get(key)
        if base is None:
            own_title = story.article.title.casefold()
            # Other sources of the same story are credited as "also:"; do not list them again.
            base = tuple(
                headline
                for headline in self.related_cache.get(story.article.id) or ()
                if headline.article_id not in story.article_ids
                and headline.title.casefold() != own_title
            )
            self._related_by_story[key] = base
        # Other angles on the story come first: they are the closest related news.
        angles = tuple(
            RelatedHeadline(angle.title, angle.url, angle.source, 1.0, angle.id)
            for angle in story.angles
        )
        return (
            angles
            + tuple(
                headline
                for headline in base
                if headline.article_id not in in_digest and headline.title.casefold() not in shown
            )
        )[: self._related_limit]
