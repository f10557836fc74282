"""Choosing a digest's stories: rank per topic once per tick, then merge per chat.

A story's score for a topic mixes how strongly it matches (normalised per topic), how recent it
is and how many sources carry it. The per-topic ranking does not depend on the chat, so it is
computed once for every chat subscribed to the topic; each chat then only walks the heads of
its topics' lists, skipping stories it already had and articles older than its window.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Container, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.digests import DigestArticle, StoryMember, TopicMatch

__all__ = [
    "RankedStory",
    "RankingWeights",
    "fold_related",
    "group_by_topic",
    "merge_same_stories",
    "pick_stories",
    "rank_topic",
]


@dataclass(frozen=True, slots=True)
class RankingWeights:
    """How much match strength, recency and source count weigh (they sum to 1)."""

    strength: float = 0.6
    recency: float = 0.25
    sources: float = 0.15
    recency_half_life_hours: float = 12.0
    # A story carried by this many sources or more gets the full source bonus.
    sources_for_full_bonus: int = 4


DEFAULT_WEIGHTS = RankingWeights()


@dataclass(frozen=True, slots=True)
class RankedStory:
    """A story as it will appear under one topic, with everything needed to show and log it."""

    story_id: int
    topic: str
    score: float
    article: DigestArticle
    also_sources: tuple[str, ...]
    article_ids: tuple[int, ...]
    newest_fetched_at: datetime
    # Links to the other sources' reports, aligned with also_sources (None when unknown).
    also_urls: tuple[str | None, ...] = ()
    # The stored stories merged into this one as reports of the same event.
    merged_story_ids: tuple[int, ...] = ()
    # Other angles on the same story in this digest (a fact check, a reply), shown as its
    # related lines instead of as stories of their own.
    angles: tuple[DigestArticle, ...] = ()


def _recency(when: datetime, now: datetime, half_life_hours: float) -> float:
    age_hours = max(0.0, (now - when).total_seconds() / 3600.0)
    return math.pow(0.5, age_hours / half_life_hours)


def rank_topic(
    topic: str,
    matches: Sequence[TopicMatch],
    articles: Mapping[int, DigestArticle],
    members: Mapping[int, Sequence[StoryMember]],
    *,
    now: datetime,
    weights: RankingWeights = DEFAULT_WEIGHTS,
) -> list[RankedStory]:
    """All stories matching ``topic``, best first, one entry per story however many sources."""
    best_strength = max((match.strength for match in matches), default=0.0)
    if best_strength <= 0:
        return []
    # Per story: the strongest matching article represents it; ties go to the earlier article,
    # which is usually the original report rather than a copy.
    strongest: dict[int, tuple[float, int]] = {}
    newest: dict[int, datetime] = {}
    for match in matches:
        article = articles.get(match.article_id)
        if article is None:
            continue
        story = article.story_id
        current = strongest.get(story)
        if current is None or (match.strength, -article.id) > (current[0], -current[1]):
            strongest[story] = (match.strength, article.id)
        if story not in newest or article.fetched_at > newest[story]:
            newest[story] = article.fetched_at
    ranked: list[RankedStory] = []
    for story, (strength, article_id) in strongest.items():
        article = articles[article_id]
        story_members = members.get(story, ())
        sources: list[str] = []
        for member in story_members:
            if member.source and member.source not in sources:
                sources.append(member.source)
        if article.source and article.source not in sources:
            sources.insert(0, article.source)
        also = tuple(source for source in sources if source != article.source)
        article_ids = tuple(sorted({article_id, *(member.article_id for member in story_members)}))
        source_bonus = min(len(sources) - 1, weights.sources_for_full_bonus - 1) / max(
            1, weights.sources_for_full_bonus - 1
        )
        when = article.published_at or article.fetched_at
        score = (
            weights.strength * (strength / best_strength)
            + weights.recency * _recency(when, now, weights.recency_half_life_hours)
            + weights.sources * max(0.0, source_bonus)
        )
        ranked.append(
            RankedStory(
                story_id=story,
                topic=topic,
                score=score,
                article=article,
                also_sources=also,
                article_ids=article_ids,
                newest_fetched_at=newest[story],
            )
        )
    ranked.sort(key=lambda item: (-item.score, -item.newest_fetched_at.timestamp(), item.story_id))
    return ranked


def pick_stories(
    topics: Sequence[str],
    ranked_by_topic: Mapping[str, Sequence[RankedStory]],
    *,
    since: datetime,
    delivered_stories: Container[int],
    limit: int,
) -> list[RankedStory]:
    """The chat's best ``limit`` stories: new since ``since``, not delivered, each story once.

    A story matching several of the chat's topics appears once, under the topic where it
    scores best (ties go to the alphabetically first topic, so the choice is stable).
    """
    if limit <= 0:
        return []
    chosen: dict[int, RankedStory] = {}
    for topic in sorted(topics):
        taken = 0
        for story in ranked_by_topic.get(topic, ()):
            if taken >= limit:
                # The overall best ``limit`` can hold at most ``limit`` stories of one topic.
                break
            if story.newest_fetched_at <= since or any(
                story_id in delivered_stories
                for story_id in (story.story_id, *story.merged_story_ids)
            ):
                continue
            taken += 1
            previous = chosen.get(story.story_id)
            if previous is None or story.score > previous.score:
                chosen[story.story_id] = story
    best = sorted(chosen.values(), key=lambda item: (-item.score, item.story_id))
    return best[:limit]


def fold_related(
    stories: Sequence[RankedStory],
    linked: Mapping[int, Collection[int]],
    *,
    limit: int,
    max_angles: int,
) -> list[RankedStory]:
    """The first ``limit`` stories, each later story related to one of them folded into it.

    ``linked`` maps an article id to the articles related to it (either one among the other's
    related headlines). Another angle on a chosen story (its fact check, the opposition's
    reply) is shown as one of its related lines (``angles``, at most ``max_angles``, as many as
    a card shows), not as a story of its own; the next story takes its place.
    """
    kept: list[RankedStory] = []
    # Article id -> the kept story it is related to, so each story costs one look-up.
    owner: dict[int, int] = {}
    for story in stories:
        index = owner.get(story.article.id)
        if index is None:
            if len(kept) < limit:
                for article_id in linked.get(story.article.id, ()):
                    owner.setdefault(article_id, len(kept))
                kept.append(story)
            continue
        head = kept[index]
        if len(head.angles) < max_angles:
            kept[index] = dataclasses.replace(
                head,
                angles=(*head.angles, story.article),
                # Shown as a line, so logged as delivered like the rest of the digest.
                article_ids=(*head.article_ids, *story.article_ids),
            )
    return kept


def group_by_topic(stories: Sequence[RankedStory]) -> list[tuple[str, list[RankedStory]]]:
    """Sections in the order of their best story; stories keep their rank inside a section."""
    sections: dict[str, list[RankedStory]] = {}
    for story in stories:
        sections.setdefault(story.topic, []).append(story)
    return list(sections.items())


def merge_same_stories(
    ranked: Sequence[RankedStory], groups: Mapping[int, Sequence[int]]
) -> list[RankedStory]:
    """One entry per event: stories whose articles ``groups`` puts together become one.

    ``groups`` maps an article id to its group of article ids, best-written report first. The
    merged story shows the best report present, credits the others' sources with their links,
    keeps the best score and takes the place of the highest-ranked of its parts.
    """
    parts: dict[tuple[int, ...], list[RankedStory]] = {}
    order: list[tuple[int, ...]] = []
    for story in ranked:
        key = tuple(groups.get(story.article.id, (story.article.id,)))
        if key not in parts:
            parts[key] = []
            order.append(key)
        parts[key].append(story)
    merged: list[RankedStory] = []
    for key in order:
        stories = parts[key]
        if len(stories) == 1:
            merged.append(stories[0])
            continue
        position = {article_id: index for index, article_id in enumerate(key)}
        stories.sort(key=lambda story: position.get(story.article.id, len(key)))
        best = stories[0]
        credits: dict[str, str | None] = {}
        for story in stories:
            named = [(story.article.source, story.article.url)]
            named += [(source, None) for source in story.also_sources]
            for source, url in named:
                if source and source != best.article.source and credits.get(source) is None:
                    credits[source] = url
        merged.append(
            RankedStory(
                story_id=best.story_id,
                topic=best.topic,
                score=max(story.score for story in stories),
                article=best.article,
                also_sources=tuple(credits),
                article_ids=tuple(sorted({i for story in stories for i in story.article_ids})),
                newest_fetched_at=max(story.newest_fetched_at for story in stories),
                also_urls=tuple(credits.values()),
                merged_story_ids=tuple(
                    sorted(
                        {
                            part
                            for story in stories
                            for part in (story.story_id, *story.merged_story_ids)
                        }
                    )
                ),
            )
        )
    merged.sort(key=lambda item: (-item.score, -item.newest_fetched_at.timestamp(), item.story_id))
    return merged
