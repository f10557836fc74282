"""Topic expressions: the parser, the stored form, and matching in a real store."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given

from bot.i18n import translator
from bot.topic_errors import topic_error_text
from storage import InvalidTopicError, Store, TopicErrorCode
from storage.ingest.records import ArticleRecord
from storage.topic_expressions import MAX_TERMS, is_expression, parse_expression
from storage.topics import canonical_topic, topic_match_expression, topic_query
from tests.fuzz.strategies import hostile_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ukraine", False),
        ("climate change", False),
        ("war or peace", False),  # a lower-case "or" is a word of a plain topic
        ("covid-19", False),
        ("ukraine -football", True),
        ('"climate change" OR emissions', True),
        ("war OR peace", True),
        ("rock AND roll", True),
    ],
)
def test_only_text_using_the_syntax_is_an_expression(text: str, expected: bool) -> None:
    assert is_expression(text) is expected


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("ukraine -football", '(("ukraine")) NOT ("football")'),
        ('"climate change" OR emissions', '("climate change" OR "emissions")'),
        ("ukraine war OR conflict", '("ukraine") AND ("war" OR "conflict")'),
        ("rock AND roll", '("rock") AND ("roll")'),
        ('Ukraine -"Premier League" -cricket', '(("ukraine")) NOT ("premier league" OR "cricket")'),
        ('"climate"* 🌍', '("climate")'),  # punctuation alone has nothing to match
    ],
)
def test_an_expression_becomes_a_query_of_quoted_terms(text: str, query: str) -> None:
    assert parse_expression(text).fts_query() == query


@pytest.mark.parametrize(
    "text",
    ['title:x -"a" OR b', 'NEAR(a b) -"x*"', "-{title text}:x y", '"a" OR ^b -c:'],
)
def test_fts_syntax_in_an_expression_stays_inside_quotes(text: str) -> None:
    try:
        query = parse_expression(text).fts_query()
    except InvalidTopicError:
        return
    outside = query.split('"')[::2]
    assert all(part.strip(" ()") in ("", "OR", "AND", "NOT", ") NOT (") for part in outside)


@pytest.mark.parametrize(
    ("text", "code", "advice"),
    [
        ("-football", TopicErrorCode.ONLY_EXCLUSIONS, "at least one word"),
        ("ukraine OR", TopicErrorCode.OR_WITHOUT_TERM, "each side of OR"),
        ("OR ukraine", TopicErrorCode.OR_WITHOUT_TERM, "each side of OR"),
        ("ukraine OR OR war", TopicErrorCode.OR_WITHOUT_TERM, "each side of OR"),
        ("ukraine OR -football", TopicErrorCode.OR_BEFORE_EXCLUSION, "-football -cricket"),
        ('"climate change', TopicErrorCode.UNCLOSED_QUOTE, "Close the quote"),
        ("a b c d e f g h -i", TopicErrorCode.TOO_MANY_TERMS, f"at most {MAX_TERMS}"),
    ],
)
def test_an_unreadable_expression_says_what_to_fix(
    text: str, code: TopicErrorCode, advice: str
) -> None:
    with pytest.raises(InvalidTopicError) as parsing:
        parse_expression(text)
    with pytest.raises(InvalidTopicError) as canonical:
        canonical_topic(text, strict=True)
    assert parsing.value.code is canonical.value.code is code
    # Storage gives the code; the bot's English wording is the advice a reader reads.
    assert advice in topic_error_text(parsing.value, translator("en"))


def test_eight_terms_are_allowed() -> None:
    assert parse_expression("a b c d e f g -h").term_count == MAX_TERMS


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("  Climate   Change ", "climate change"),
        ("Ukraine  -Football", "ukraine -football"),
        ('"Climate Change" OR Emissions', '"climate change" OR emissions'),
    ],
)
def test_the_stored_form_keeps_operators_and_reads_back_the_same(text: str, stored: str) -> None:
    assert canonical_topic(text) == stored
    assert canonical_topic(stored) == stored
    assert topic_query(stored) == topic_query(text)


def test_an_over_long_expression_is_refused_when_strict() -> None:
    text = "ukraine -" + "x" * 70
    with pytest.raises(InvalidTopicError) as refused:
        canonical_topic(text, strict=True)
    assert refused.value.code is TopicErrorCode.TOPIC_TOO_LONG
    assert refused.value.values == {"length": len(text), "limit": 64}


def test_an_unreadable_expression_is_kept_as_a_plain_topic_when_lenient() -> None:
    assert canonical_topic('"Open') == '"open'
    assert topic_query('"open') == '"open"'


def test_plain_topics_give_the_same_query_as_before_expressions() -> None:
    assert topic_match_expression(["climate change", "ukraine"]) == '"climate change" OR "ukraine"'


DAY = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture
async def news(store: Store) -> Store:
    titles = [
        ("Ukraine peace talks resume", "Delegations met in Geneva."),
        ("Ukraine football team wins", "The national football side won 2-0."),
        ("Climate change summit opens", "Leaders discuss warming."),
        ("Emissions fall in Europe", "Carbon output dropped."),
        ("Change of climate at the club", "A new coach arrived."),
    ]
    await store.articles.ingest(
        ArticleRecord(title=title, text=text, published_at=DAY + timedelta(hours=index))
        for index, (title, text) in enumerate(titles)
    )
    return store


async def test_latest_with_an_exclusion_drops_the_excluded_word(news: Store) -> None:
    found = await news.articles.latest(topics=["ukraine -football"], limit=10)
    assert [a.title for a in found] == ["Ukraine peace talks resume"]


async def test_latest_with_or_matches_either_term(news: Store) -> None:
    found = await news.articles.latest(topics=['"climate change" OR emissions'], limit=10)
    assert {a.title for a in found} == {"Climate change summit opens", "Emissions fall in Europe"}


async def test_headlines_and_digest_matches_use_the_expression(news: Store) -> None:
    headlines = await news.articles.latest_headlines(topic="ukraine -football", limit=10)
    assert [h.title for h in headlines] == ["Ukraine peace talks resume"]
    matches = await news.digests.topic_matches("ukraine -football", since=DAY - timedelta(1))
    assert len(matches) == 1


async def test_an_expression_subscription_is_stored_once_and_removed(news: Store) -> None:
    await news.chats.ensure(1)
    assert await news.subscriptions.subscribe(1, "Ukraine -Football")
    assert not await news.subscriptions.subscribe(1, "ukraine  -football")
    assert await news.subscriptions.topics(1) == ["ukraine -football"]
    assert await news.subscriptions.unsubscribe(1, "UKRAINE -football")


@given(hostile_text(12))
def test_any_text_parses_to_a_query_sqlite_accepts_or_says_what_to_fix(text: str) -> None:
    try:
        query = parse_expression(text).fts_query()
    except InvalidTopicError as error:
        assert topic_error_text(error, translator("en")).endswith(".")
        return
    outside = " ".join(query.split('"')[::2])
    assert set(outside) <= set("()ORANDNOT "), query
    with sqlite3.connect(":memory:") as connection:
        connection.execute("CREATE VIRTUAL TABLE t USING fts5 (title, tokenize = 'porter')")
        connection.execute("SELECT rowid FROM t WHERE t MATCH ?", (query,)).fetchall()
