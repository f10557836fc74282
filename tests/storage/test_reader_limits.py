"""What one chat may store is bounded: topics and muted words by number, length and breadth."""

from datetime import UTC, datetime

import pytest

from storage import InvalidTopicError, Store, TopicErrorCode
from storage.breadth import MIN_DOCUMENTS
from storage.ingest.records import ArticleRecord
from storage.reader_controls import ReaderControls, ReaderFilter, muted_articles, muted_headlines
from storage.subscriptions import MAX_TOPICS
from storage.topics import MAX_TOPIC_LENGTH, canonical_topic
from tests.raw_sql import connections

DAY = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture
def controls(store: Store) -> ReaderControls:
    return store.controls


async def _store_common_news(store: Store) -> None:
    """MIN_DOCUMENTS stories that all mention the harbour, and a few about football."""
    await store.articles.ingest(
        ArticleRecord(
            title=f"Harbour report {number}",
            text=f"The harbour board met on day {number}."
            + (" The football club played." if number % 10 == 0 else ""),
            published_at=DAY,
        )
        for number in range(MIN_DOCUMENTS)
    )


async def test_a_chat_follows_at_most_max_topics(store: Store) -> None:
    for number in range(MAX_TOPICS):
        assert await store.subscriptions.subscribe(1, f"topic{number}")
    with pytest.raises(InvalidTopicError) as refused:
        await store.subscriptions.subscribe(1, "one more")
    assert refused.value.code is TopicErrorCode.TOO_MANY_TOPICS
    assert refused.value.values == {"limit": MAX_TOPICS}
    # A topic already followed is still just "already followed", and others are not affected.
    assert not await store.subscriptions.subscribe(1, "topic0")
    assert await store.subscriptions.subscribe(2, "one more")


def test_a_reader_topic_over_the_length_limit_is_refused_with_the_limit() -> None:
    with pytest.raises(InvalidTopicError) as refused:
        canonical_topic("x" * 1000, strict=True)
    assert refused.value.code is TopicErrorCode.TOPIC_TOO_LONG
    assert refused.value.values == {"length": 1000, "limit": MAX_TOPIC_LENGTH}
    assert canonical_topic("x" * MAX_TOPIC_LENGTH, strict=True) == "x" * MAX_TOPIC_LENGTH


async def test_a_muted_phrase_over_the_length_limit_is_refused_with_the_limit(
    controls: ReaderControls,
) -> None:
    with pytest.raises(InvalidTopicError) as refused:
        await controls.mute_word(1, "word " * 20)
    assert refused.value.code is TopicErrorCode.MUTED_WORD_TOO_LONG
    assert refused.value.values == {"length": 99, "limit": MAX_TOPIC_LENGTH}
    assert await controls.muted_words(1) == []


async def test_stop_words_are_too_broad_to_mute_or_follow(
    store: Store, controls: ReaderControls
) -> None:
    with pytest.raises(InvalidTopicError) as too_common:
        await controls.mute_word(1, "and on he to was by at of")
    assert too_common.value.code is TopicErrorCode.MUTED_WORD_TOO_COMMON
    assert too_common.value.values == {"word": "and on he to was by at of"}
    for topic in ("the", "of OR the"):
        with pytest.raises(InvalidTopicError) as too_broad:
            await store.subscriptions.subscribe(1, topic)
        assert too_broad.value.code is TopicErrorCode.TOPIC_TOO_BROAD
        assert too_broad.value.values == {"topic": topic}
    # A stop word inside a phrase with a real word is fine.
    assert await controls.mute_word(1, "the crown")
    assert await store.subscriptions.subscribe(1, "the crown")


async def test_a_word_in_most_stories_is_too_broad_and_a_rarer_one_is_not(
    store: Store, controls: ReaderControls
) -> None:
    await _store_common_news(store)
    with pytest.raises(InvalidTopicError) as too_common:
        await controls.mute_word(1, "Harbours")
    assert too_common.value.code is TopicErrorCode.MUTED_WORD_TOO_COMMON
    with pytest.raises(InvalidTopicError) as too_broad:
        await store.subscriptions.subscribe(1, "harbour board")
    assert too_broad.value.code is TopicErrorCode.TOPIC_TOO_BROAD
    assert await controls.mute_word(1, "football") == ("football", True)
    # An expression is too broad only when every part of it is.
    with pytest.raises(InvalidTopicError) as expression_too_broad:
        await store.subscriptions.subscribe(1, "harbour -football")
    assert expression_too_broad.value.code is TopicErrorCode.TOPIC_TOO_BROAD
    assert await store.subscriptions.subscribe(1, "harbour AND football")


async def test_muting_indexes_only_the_candidates_never_the_stores_full_text_index(
    store: Store,
) -> None:
    await _store_common_news(store)
    articles = await store.articles.latest(limit=20)
    headlines = await store.articles.latest_headlines(limit=20)
    # 50 phrases of common words: one query of them over the store's index cost seconds.
    muted = ReaderFilter(
        phrases=(*(f"harbour board met on day {n}" for n in range(49)), "football")
    )
    statements: list[str] = []
    async with connections(store).read() as connection:
        await connection.set_trace_callback(statements.append)
        try:
            hidden_articles = await muted_articles(connection, muted, (a.id for a in articles))
            hidden_headlines = await muted_headlines(connection, muted, (h.id for h in headlines))
        finally:
            await connection.set_trace_callback(None)
    assert not [statement for statement in statements if "_fts" in statement]
    expected = {a.id for a in articles if "football" in a.text or int(a.title.split()[-1]) < 49}
    assert hidden_articles == expected
    assert len(hidden_headlines) == len(expected)
