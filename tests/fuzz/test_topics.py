"""Topics from any text: normalised or refused with InvalidTopicError, never an SQL/FTS error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from storage.errors import InvalidTopicError, TopicErrorCode
from storage.text import fts_all_words, fts_any_word, fts_phrase
from storage.topics import MAX_TOPIC_LENGTH, normalize_topic, topic_match_expression
from tests.fuzz.conftest import LoopStore
from tests.fuzz.strategies import HOSTILE_FRAGMENTS, user_text


@given(user_text)
def test_a_topic_is_normalised_or_refused_with_a_clear_error(text: str) -> None:
    try:
        topic = normalize_topic(text)
    except InvalidTopicError as error:
        assert error.code is TopicErrorCode.NO_WORDS
        return
    assert 0 < len(topic) <= MAX_TOPIC_LENGTH
    assert topic == topic.strip()
    assert normalize_topic(topic) == topic  # idempotent: a stored topic normalises to itself


@given(user_text)
def test_fts_expressions_quote_every_word(text: str) -> None:
    for expression in (fts_phrase(text), fts_any_word(text), fts_all_words(text)):
        if expression is None:
            continue
        # Outside the quotes only our own operators remain.
        outside = expression.split('"')[::2]
        assert all(part.strip() in ("", "OR", "AND") for part in outside), expression


@given(st.lists(user_text, min_size=1, max_size=3))
def test_any_topic_text_queries_a_real_store_without_error(
    loop_store: LoopStore, topics: list[str]
) -> None:
    store = loop_store.store
    usable = []
    for topic in topics:
        try:
            usable.append(normalize_topic(topic))
        except InvalidTopicError:
            continue
    if not usable:
        return
    expression = topic_match_expression(usable)
    assert expression is None or expression.count('"') % 2 == 0
    accepted = []
    for topic in usable:
        try:
            assert loop_store.run(store.subscriptions.subscribe(7, topic)) in (True, False)
            accepted.append(topic)
        except InvalidTopicError:
            pass  # refused with a reason (a topic of stop words only is too broad)
        loop_store.run(store.articles.latest_headlines(topic=topic, limit=3))

        async def digest_matches(topic: str = topic) -> object:
            return await store.digests.topic_matches(
                topic, since=datetime.now(UTC) - timedelta(days=3650)
            )

        loop_store.run(digest_matches())
    loop_store.run(store.articles.latest(topics=usable, limit=3))
    loop_store.run(store.articles.search(" ".join(topics), limit=3))
    subscribed = loop_store.run(store.subscriptions.topics(7))
    assert set(accepted) <= set(subscribed)
    for topic in usable:
        assert loop_store.run(store.subscriptions.unsubscribe(7, topic)) in (True, False)
    assert loop_store.run(store.subscriptions.topics(7)) == []


# Not "final" for the stored "ﬁnal": the index keeps the ligature while queries are NFKC-folded,
# so ligature spellings miss (a missed match, not an error; reported, not changed here).
@given(st.sampled_from(["climate", "energy", "border", "νέα", "café", "budget"]))
def test_a_word_of_a_stored_title_finds_it_whatever_decorates_the_topic(
    loop_store: LoopStore, word: str
) -> None:
    decorated = f'  "{word.upper()}"* \u200b'
    found = loop_store.run(loop_store.store.articles.latest_headlines(topic=decorated, limit=10))
    assert any(word in headline.title.casefold() for headline in found)


def test_every_hostile_fragment_is_a_usable_or_refused_topic(loop_store: LoopStore) -> None:
    for fragment in HOSTILE_FRAGMENTS:
        try:
            loop_store.run(loop_store.store.subscriptions.subscribe(8, fragment))
        except InvalidTopicError:
            continue
