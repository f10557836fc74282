"""Reading articles: by id, full-text search, newest first, topic matching, summary cache."""

from datetime import UTC, datetime, timedelta

import pytest

from storage import Store
from storage import articles as articles_module
from storage.ingest.records import ArticleRecord, HeadlineRecord

DAY = datetime(2025, 3, 1, tzinfo=UTC)


def article(
    title: str,
    text: str,
    *,
    days: int = 0,
    source: str | None = None,
    url: str | None = None,
    categories: tuple[str, ...] = (),
) -> ArticleRecord:
    return ArticleRecord(
        title=title,
        text=text,
        published_at=DAY + timedelta(days=days),
        source=source,
        url=url,
        categories=categories,
    )


@pytest.fixture
async def news(store: Store) -> Store:
    await store.articles.ingest(
        [
            article(
                "Climate talks stall",
                "Negotiators on climate change failed to agree on emissions.",
                days=0,
                source="Wire",
                url="https://example.com/climate",
            ),
            article(
                "Change of climate at the club",
                "The football club hired a new coach; the mood changed.",
                days=1,
                categories=("Sport",),
            ),
            article(
                "Ukraine peace talks resume",
                "Ukrainian and Russian delegations met in Geneva for talks.",
                days=2,
                source="Wire",
            ),
            article("Markets rally", "Stocks rose sharply on Monday as investors cheered.", days=3),
            HeadlineRecord(title="Kyiv hosts donors conference", published_at=DAY),
        ]
    )
    return store


async def test_get_article_returns_what_was_stored(news: Store) -> None:
    [first] = await news.articles.search("emissions")
    stored = await news.articles.get(first.article.id)
    assert stored is not None
    assert stored.title == "Climate talks stall"
    assert stored.url == "https://example.com/climate"
    assert stored.source == "Wire"
    assert stored.published_at == DAY
    assert await news.articles.get(999) is None


async def test_search_ranks_with_stemming_and_gives_a_snippet(news: Store) -> None:
    hits = await news.articles.search("negotiator emission")
    assert [hit.article.title for hit in hits] == ["Climate talks stall"]
    assert "emissions" in hits[0].snippet
    assert hits[0].score > 0


async def test_search_takes_query_syntax_literally(news: Store) -> None:
    for query in ['"', "climate AND", "NEAR(a b", "title:markets", "*", "a OR"]:
        await news.articles.search(query)
    assert [hit.article.title for hit in await news.articles.search("title:markets")] == [
        "Markets rally"
    ]


async def test_search_falls_back_to_any_word_when_no_article_has_all(news: Store) -> None:
    hits = await news.articles.search("stocks zebra")
    assert [hit.article.title for hit in hits] == ["Markets rally"]


async def test_latest_articles_are_newest_first(news: Store) -> None:
    titles = [a.title for a in await news.articles.latest(limit=2)]
    assert titles == ["Markets rally", "Ukraine peace talks resume"]


async def test_a_multi_word_topic_matches_as_a_phrase(news: Store) -> None:
    found = await news.articles.latest(topics=["Climate  Change"], limit=10)
    assert [a.title for a in found] == ["Climate talks stall"]


async def test_a_topic_matches_with_stemming_and_any_case(news: Store) -> None:
    found = await news.articles.latest(topics=["TALK"], limit=10)
    assert {a.title for a in found} == {"Climate talks stall", "Ukraine peace talks resume"}


async def test_a_category_equal_to_the_topic_matches(news: Store) -> None:
    found = await news.articles.latest(topics=["sport"], limit=10)
    assert [a.title for a in found] == ["Change of climate at the club"]


async def test_latest_articles_since_drops_older_ones(news: Store) -> None:
    found = await news.articles.latest(since=DAY + timedelta(days=2), limit=10)
    assert [a.title for a in found] == ["Markets rally", "Ukraine peace talks resume"]


@pytest.mark.parametrize("topic", ['"', "a OR b", 'x" OR "y', "NEAR(", "-", "^", "title:x", "'"])
async def test_topics_with_query_syntax_never_fail(news: Store, topic: str) -> None:
    await news.articles.latest(topics=[topic])
    await news.articles.latest_headlines(topic=topic)


async def test_latest_headlines_include_article_titles_and_bare_headlines(news: Store) -> None:
    titles = [h.title for h in await news.articles.latest_headlines(limit=10)]
    assert titles[0] == "Markets rally"
    assert "Kyiv hosts donors conference" in titles
    assert len(titles) == 5


async def test_latest_headlines_for_a_topic(news: Store) -> None:
    titles = [h.title for h in await news.articles.latest_headlines(topic="kyiv")]
    assert titles == ["Kyiv hosts donors conference"]


async def test_summary_cache_round_trips(news: Store) -> None:
    [hit] = await news.articles.search("emissions")
    assert await news.articles.cached_summary(hit.article.id, "news", 3) is None
    await news.articles.cache_summary(hit.article.id, "news", 3, ["One.", "Two."])
    assert await news.articles.cached_summary(hit.article.id, "news", 3) == ("One.", "Two.")
    assert await news.articles.cached_summary(hit.article.id, "lead", 3) is None


async def test_suggested_topics_come_from_categories_first(news: Store) -> None:
    assert (await news.subscriptions.suggested(limit=3))[0] == "sport"


async def test_a_bare_headline_repeating_an_article_title_is_listed_once(news: Store) -> None:
    await news.articles.ingest([HeadlineRecord(title="Markets  rally!")])
    titles = [h.title for h in await news.articles.latest_headlines(limit=10)]
    assert titles.count("Markets rally") == 1
    assert "Markets rally!" not in titles


async def test_a_very_common_topic_is_matched_among_the_latest_stored_articles(
    news: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(articles_module, "RECENT_MATCHES", 1)
    found = [a.title for a in await news.articles.latest(topics=["talks"], limit=10)]
    assert found == ["Ukraine peace talks resume"]


async def test_search_ignores_stop_words_when_the_query_has_other_words(news: Store) -> None:
    hits = await news.articles.search("the stocks of the")
    assert [hit.article.title for hit in hits] == ["Markets rally"]


async def test_a_very_common_query_is_ranked_among_the_latest_matches(
    news: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(articles_module, "RANKED_MATCHES", 1)
    hits = await news.articles.search("talks")
    assert [hit.article.title for hit in hits] == ["Ukraine peace talks resume"]


async def test_suggested_topics_are_names_and_phrases_never_fragments(store: Store) -> None:
    await store.articles.ingest(
        [
            article(
                "Japan approves record budget",
                "Japan's cabinet approved a record budget on Friday, Tokyo said.",
                categories=("tc",),
            ),
            article(
                "Japan sets a sales record",
                "Carmakers in Japan sold a record number of cars, the ministry in Tokyo said.",
                categories=("tc",),
            ),
            HeadlineRecord(title="Peace talks resume in Geneva"),
            HeadlineRecord(title="Peace talks stall over borders"),
            HeadlineRecord(title="Record heat in the south"),
        ]
    )
    suggestions = await store.subscriptions.suggested(limit=8)
    assert suggestions == ["Japan", "peace talks"]
