"""Story choice: one story once across topics and sources, ranked, capped and grouped."""

from datetime import UTC, datetime, timedelta

from bot.digests.ranking import (
    fold_related,
    group_by_topic,
    merge_same_stories,
    pick_stories,
    rank_topic,
)
from storage.digests import DigestArticle, StoryMember, TopicMatch

NOW = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)


def article(article_id: int, story_id: int, source: str, hours_ago: float = 1.0) -> DigestArticle:
    when = NOW - timedelta(hours=hours_ago)
    return DigestArticle(
        id=article_id,
        story_id=story_id,
        title=f"Title {article_id}",
        url=f"https://example.org/{article_id}",
        source=source,
        published_at=when,
        fetched_at=when,
    )


ARTICLES = {
    1: article(1, story_id=10, source="BBC"),
    2: article(2, story_id=10, source="Reuters"),  # same story as 1, another source
    3: article(3, story_id=30, source="AP"),
    4: article(4, story_id=40, source="BBC", hours_ago=30),  # old news
    5: article(5, story_id=50, source="AP"),
}
MEMBERS = {
    10: [StoryMember(1, "BBC"), StoryMember(2, "Reuters")],
    30: [StoryMember(3, "AP")],
    40: [StoryMember(4, "BBC")],
    50: [StoryMember(5, "AP")],
}


def ranked(topic: str, matches: list[TopicMatch]):
    return rank_topic(topic, matches, ARTICLES, MEMBERS, now=NOW)


def test_a_story_from_two_sources_is_ranked_once_with_the_other_source_credited() -> None:
    stories = ranked("ukraine", [TopicMatch(1, 0.9), TopicMatch(2, 0.5), TopicMatch(3, 0.4)])
    assert [story.story_id for story in stories] == [10, 30]
    assert stories[0].article.id == 1
    assert stories[0].also_sources == ("Reuters",)
    assert stories[0].article_ids == (1, 2)


def test_more_sources_and_more_recent_news_rank_higher_at_equal_strength() -> None:
    stories = ranked("ukraine", [TopicMatch(4, 1.0), TopicMatch(3, 1.0), TopicMatch(1, 1.0)])
    assert [story.story_id for story in stories] == [10, 30, 40]


def test_a_story_matching_two_topics_appears_once_under_its_best_topic() -> None:
    by_topic = {
        "ukraine": ranked("ukraine", [TopicMatch(1, 0.3), TopicMatch(3, 1.0)]),
        "peace talks": ranked("peace talks", [TopicMatch(2, 1.0)]),
    }
    chosen = pick_stories(
        ["ukraine", "peace talks"],
        by_topic,
        since=NOW - timedelta(hours=24),
        delivered_stories=set(),
        limit=5,
    )
    assert sorted((story.story_id, story.topic) for story in chosen) == [
        (10, "peace talks"),
        (30, "ukraine"),
    ]


def test_delivered_stories_and_news_older_than_the_window_are_left_out() -> None:
    by_topic = {
        "ukraine": ranked("ukraine", [TopicMatch(1, 1.0), TopicMatch(3, 1.0), TopicMatch(4, 1.0)])
    }
    chosen = pick_stories(
        ["ukraine"],
        by_topic,
        since=NOW - timedelta(hours=24),
        delivered_stories={10},
        limit=5,
    )
    assert [story.story_id for story in chosen] == [30]


def test_at_most_limit_stories_best_first() -> None:
    by_topic = {
        "a": ranked("a", [TopicMatch(1, 1.0), TopicMatch(3, 0.2)]),
        "b": ranked("b", [TopicMatch(5, 0.9)]),
    }
    chosen = pick_stories(
        ["a", "b"], by_topic, since=NOW - timedelta(days=1), delivered_stories=(), limit=2
    )
    assert [story.story_id for story in chosen] == [10, 50]


def test_sections_follow_their_best_story() -> None:
    by_topic = {
        "a": ranked("a", [TopicMatch(1, 1.0), TopicMatch(3, 0.1)]),
        "b": ranked("b", [TopicMatch(5, 0.8)]),
    }
    chosen = pick_stories(
        ["a", "b"], by_topic, since=NOW - timedelta(days=1), delivered_stories=(), limit=5
    )
    sections = group_by_topic(chosen)
    assert [(topic, [s.story_id for s in stories]) for topic, stories in sections] == [
        ("a", [10, 30]),
        ("b", [50]),
    ]


def test_no_matches_no_stories() -> None:
    assert ranked("nothing", []) == []


def test_reports_of_one_event_merge_into_one_story_best_written_first() -> None:
    stories = ranked("ukraine", [TopicMatch(1, 0.9), TopicMatch(3, 0.8), TopicMatch(5, 0.4)])
    # Storage found articles 5 and 3 to report one event, 5 the fuller report.
    merged = merge_same_stories(stories, {3: (5, 3), 5: (5, 3)})
    assert [story.story_id for story in merged] == [10, 50]
    event = merged[1]
    assert event.article.id == 5
    assert event.score == max(story.score for story in stories if story.story_id in (30, 50))
    assert event.also_sources == ()  # both from AP: one source, nothing to credit
    assert event.article_ids == (3, 5)
    assert event.merged_story_ids == (30, 50)


def test_a_merged_story_with_any_part_delivered_is_left_out() -> None:
    stories = ranked("ukraine", [TopicMatch(3, 0.8), TopicMatch(5, 0.4)])
    merged = merge_same_stories(stories, {3: (5, 3), 5: (5, 3)})
    chosen = pick_stories(
        ["ukraine"],
        {"ukraine": merged},
        since=NOW - timedelta(days=1),
        delivered_stories={30},
        limit=5,
    )
    assert chosen == []


def test_a_story_related_to_a_better_one_becomes_its_related_line_and_the_next_fills_in() -> None:
    stories = ranked(
        "ukraine", [TopicMatch(1, 1.0), TopicMatch(3, 0.9), TopicMatch(5, 0.8), TopicMatch(4, 0.7)]
    )
    assert [story.article.id for story in stories] == [1, 3, 5, 4]
    # Article 5 is another angle on article 1's story (related to it).
    chosen = fold_related(stories, {1: {5}, 5: {1}}, limit=3, max_angles=2)
    assert [story.article.id for story in chosen] == [1, 3, 4]
    assert chosen[0].angles == (ARTICLES[5],)
    # Shown as a line, it is delivered with the story.
    assert chosen[0].article_ids == (1, 2, 5)


def test_no_more_angles_than_a_card_shows() -> None:
    stories = ranked("ukraine", [TopicMatch(1, 1.0), TopicMatch(3, 0.9), TopicMatch(5, 0.8)])
    chosen = fold_related(stories, {1: {3, 5}, 3: {1}, 5: {1}}, limit=5, max_angles=1)
    assert [(story.article.id, len(story.angles)) for story in chosen] == [(1, 1)]
