"""Reader controls in storage: muted words, source choices, and the filters they make."""

from datetime import UTC, datetime

import pytest

from storage import InvalidTopicError, Store, TopicErrorCode
from storage.ingest.records import ArticleRecord, HeadlineRecord
from storage.reader_controls import MAX_MUTED_WORDS, ReaderControls, ReaderFilter

DAY = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture
def controls(store: Store) -> ReaderControls:
    return store.controls


async def test_muted_words_are_normalised_listed_and_removed(controls: ReaderControls) -> None:
    assert await controls.mute_word(1, "  Royal   Family ") == ("royal family", True)
    assert await controls.mute_word(1, "ROYAL family") == ("royal family", False)
    assert await controls.muted_words(1) == ["royal family"]
    assert await controls.unmute_word(1, "Royal Family")
    assert not await controls.unmute_word(1, "royal family")


async def test_a_muted_word_needs_a_letter_and_there_is_a_limit(controls: ReaderControls) -> None:
    with pytest.raises(InvalidTopicError) as no_words:
        await controls.mute_word(1, '"*"')
    assert no_words.value.code is TopicErrorCode.MUTED_WORD_NO_WORDS
    for number in range(MAX_MUTED_WORDS):
        await controls.mute_word(1, f"word{number}")
    with pytest.raises(InvalidTopicError) as too_many:
        await controls.mute_word(1, "one more")
    assert too_many.value.code is TopicErrorCode.TOO_MANY_MUTED_WORDS
    assert too_many.value.values == {"limit": MAX_MUTED_WORDS}


async def test_muting_hides_articles_and_headlines_by_phrase_and_feed(
    store: Store, controls: ReaderControls
) -> None:
    feed, _ = await store.feeds.add("https://example.com/rss")
    await store.articles.ingest(
        [ArticleRecord(title="Cup final tonight", text="The football cup final.", published_at=DAY)]
    )
    await store.articles.ingest(
        [ArticleRecord(title="Budget passes", text="Parliament passed it.", published_at=DAY)],
        feed_id=feed.id,
    )
    await store.articles.ingest(
        [HeadlineRecord(title="Football: derby ends level", published_at=DAY)]
    )
    articles = {a.title: a.id for a in await store.articles.latest(limit=10)}
    headlines = {h.title: h.id for h in await store.articles.latest_headlines(limit=10)}

    by_word = ReaderFilter(phrases=("football",))
    assert await controls.muted_articles(by_word, articles.values()) == {
        articles["Cup final tonight"]
    }
    # The article's headline is hidden for its text, the bare headline for its title.
    assert await controls.muted_headlines(by_word, headlines.values()) == {
        headlines["Cup final tonight"],
        headlines["Football: derby ends level"],
    }
    by_feed = ReaderFilter(feed_ids=frozenset({feed.id}))
    assert await controls.muted_articles(by_feed, articles.values()) == {articles["Budget passes"]}
    assert await controls.muted_headlines(by_feed, headlines.values()) == {
        headlines["Budget passes"]
    }


async def test_query_syntax_in_a_muted_word_is_taken_literally(
    store: Store, controls: ReaderControls
) -> None:
    await store.articles.ingest([ArticleRecord(title="Near misses", text="a b", published_at=DAY)])
    muted = ReaderFilter(phrases=("NEAR(misses)", '"', "title:x", "-"))
    ids = [a.id for a in await store.articles.latest(limit=5)]
    assert await controls.muted_articles(muted, ids) == set(ids)


async def test_source_choices_follow_mute_reset_and_go_with_the_chat_or_feed(
    store: Store, controls: ReaderControls
) -> None:
    feed, _ = await store.feeds.add("https://example.com/rss", title="Example")
    await controls.set_source(1, feed.id, True)
    assert await controls.source_choices(1) == {feed.id: True}
    assert [s.name for s in (await controls.followed_sources([1]))[1]] == ["Example"]
    await controls.set_source(1, feed.id, False)
    assert (await controls.reader_filter(1)).feed_ids == {feed.id}
    await controls.set_source(1, feed.id, None)
    assert await controls.source_choices(1) == {}
    await controls.set_source(1, feed.id, True)
    await controls.mute_word(1, "football")
    await store.chats.forget(1)
    assert await controls.source_choices(1) == {}
    assert await controls.muted_words(1) == []
    await controls.set_source(2, feed.id, True)
    await store.feeds.remove(str(feed.id))
    assert await controls.source_choices(2) == {}
