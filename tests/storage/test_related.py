"""Related headlines: ranked by how closely they concern an article, cut by a threshold."""

import gzip
import json
import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage import Store
from storage.ingest.records import ArticleRecord, HeadlineRecord
from storage.ingest.seed import parse_seed
from tests.data import (
    BBC,
    SEED,
    SEED_LOOKALIKES,
    SEED_STORY,
    SHARED_SEED,
    SHARED_SEED_LOOKALIKES,
    SHARED_SEED_STORY,
    needs_shared_data,
)


@dataclass(frozen=True)
class Seed:
    """A seed file, the headlines about its article's story, and lookalikes that are not."""

    path: Path
    story: frozenset[str]
    lookalikes: frozenset[str]

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


OURS = Seed(SEED, SEED_STORY, SEED_LOOKALIKES)
SEEDS = [
    pytest.param(OURS, id="ours"),
    pytest.param(
        Seed(SHARED_SEED, SHARED_SEED_STORY, SHARED_SEED_LOOKALIKES),
        id="specification",
        marks=needs_shared_data,
    ),
]


async def seeded(store: Store, seed: Seed = OURS) -> int:
    await store.articles.ingest(parse_seed(seed.text(), source="seed"))
    [article] = await store.articles.latest(limit=1)
    return article.id


@pytest.mark.parametrize("seed", SEEDS)
async def test_the_storys_headlines_rank_first_and_lookalikes_are_cut(
    store: Store, seed: Seed
) -> None:
    article_id = await seeded(store, seed)
    related = await store.articles.related(article_id, limit=10)
    assert {headline.title for headline in related[:3]} == seed.story
    assert not seed.lookalikes & {headline.title for headline in related}


@pytest.mark.parametrize("seed", SEEDS)
async def test_related_to_text_ranks_the_same_way_for_pasted_text(store: Store, seed: Seed) -> None:
    article_id = await seeded(store, seed)
    article = await store.articles.get(article_id)
    assert article is not None
    related = await store.articles.related_to_text(article.text, limit=10)
    titles = [headline.title for headline in related if headline.article_id is None]
    assert set(titles[:3]) == seed.story
    assert not seed.lookalikes & set(titles)


async def test_an_article_is_not_related_to_its_own_title(store: Store) -> None:
    article_id = await seeded(store)
    related = await store.articles.related(article_id, limit=20)
    assert all(headline.article_id != article_id for headline in related)


async def test_scores_are_fractions_best_first(store: Store) -> None:
    related = await store.articles.related(await seeded(store), limit=10)
    scores = [headline.score for headline in related]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)


async def test_nothing_is_related_to_text_without_shared_words(store: Store) -> None:
    await seeded(store)
    assert (
        await store.articles.related_to_text("Quantum chromodynamics lattice gauge simulations.")
        == []
    )


@needs_shared_data
async def test_on_unseen_news_an_articles_own_headline_ranks_first_among_thousands(
    store: Store,
) -> None:
    with gzip.open(BBC, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    await store.articles.ingest([HeadlineRecord(title=row["title"]) for row in rows])
    sample = random.Random(11).sample(rows, 60)
    ranks = []
    for row in sample:
        related = await store.articles.related_to_text(row["text"], limit=10)
        titles = [headline.title for headline in related]
        ranks.append(titles.index(row["title"]) + 1 if row["title"] in titles else None)
    # BBC runs many follow-ups on one subject, so the own title is not always first; on 300
    # articles `newsbot evaluate-related` measures 55% first (the same before and after the
    # shared-terms rule).
    assert sum(rank == 1 for rank in ranks) >= 0.5 * len(sample)
    assert sum(rank is not None and rank <= 3 for rank in ranks) >= 0.7 * len(sample)


KYIV_GRID = (
    "Russian missiles and drones struck Kyiv's power grid overnight, cutting electricity to "
    "hundreds of thousands of homes as temperatures fell below freezing. Ukraine's energy "
    "minister said engineers were restoring power to hospitals first. Ukrenergo, the national "
    "grid operator, ordered rolling blackouts across Kyiv and the surrounding region. "
    "President Volodymyr Zelenskiy said Russia was trying to freeze Ukraine into submission "
    "and asked allies for more air defence systems to protect the grid."
)
TRUMP_SPEECH = (
    "Donald Trump's speech to the convention ran for ninety minutes and drew criticism from "
    "Republican strategists, who said it wandered far from the economy. Trump repeated claims "
    "about the election and attacked reporters in the hall. Several Republican senators said "
    "the speech was bad for the party's chances in swing states, while the Trump campaign said "
    "the audience loved every minute."
)


# Stories on other things, so that words have the weight they have in a real store.
OTHER_NEWS = [
    ArticleRecord(title=title, text=f"{title}. {text}", url=f"https://c.test/{number}")
    for number, (title, text) in enumerate(
        [
            ("Orchestra tours Japan", "The city orchestra began a tour of six Japanese cities."),
            ("Mayor opens library", "The new central library opened with a reading by pupils."),
            ("Floods close motorway", "Heavy rain closed the motorway for most of the morning."),
            ("Bakers face meringue test", "Twelve amateur bakers tried lemon meringue pies."),
            ("Airline orders jets", "The airline ordered forty jets for its long-haul routes."),
            ("Chess prodigy wins title", "A twelve-year-old won the national chess title."),
        ]
    )
]


async def test_a_headline_sharing_one_common_word_is_not_related(store: Store) -> None:
    await store.articles.ingest(
        [
            HeadlineRecord(title="Chipmaker unveils low-power processor for smartphones"),
            HeadlineRecord(title="Orcas can imitate human speech, scientists find"),
            HeadlineRecord(title="Russian drones target Ukrainian energy infrastructure"),
            HeadlineRecord(title="Republican senators distance themselves from Trump speech"),
        ]
    )
    grid = [
        h.title
        for h in await store.articles.related_to_text(KYIV_GRID, title="Kyiv power grid hit")
    ]
    speech = [
        h.title for h in await store.articles.related_to_text(TRUMP_SPEECH, title="Trump's speech")
    ]
    assert grid == ["Russian drones target Ukrainian energy infrastructure"]
    assert speech == ["Republican senators distance themselves from Trump speech"]


async def test_nothing_truly_related_shows_nothing(store: Store) -> None:
    await store.articles.ingest(
        [
            HeadlineRecord(title="GST Network releases prototype of simplified return filing"),
            HeadlineRecord(title="Record crowds at the power station arts festival"),
        ]
    )
    assert await store.articles.related_to_text(KYIV_GRID, title="Kyiv power grid hit") == []


async def test_a_headline_only_feed_item_that_tells_the_story_is_related(store: Store) -> None:
    # A feed of headlines stores each linked item as an article whose text is its teaser, if
    # any; such an item is compared on what it has, its headline above all.
    await store.articles.ingest(
        [
            ArticleRecord(title="Kyiv power grid hit", text=KYIV_GRID, url="https://a.test/grid"),
            *OTHER_NEWS,
            HeadlineRecord(
                title="Russian missiles cut power to Kyiv as grid operator orders blackouts",
                url="https://b.test/blackouts",
                summary="Engineers worked through the night to restore supply.",
            ),
            HeadlineRecord(
                title="Chipmaker unveils low-power processor for smartphones",
                url="https://b.test/chips",
            ),
        ]
    )
    [grid] = await store.articles.search("Kyiv power grid hit", limit=1)
    related = [headline.title for headline in await store.articles.related(grid.article.id)]
    assert related == ["Russian missiles cut power to Kyiv as grid operator orders blackouts"]


async def test_two_headline_only_items_sharing_a_pun_are_not_related(store: Store) -> None:
    # Every word of a lone headline looks central to it, so two shared words must not be
    # enough: "record bids" and "world record" are no story.
    await store.articles.ingest(
        [
            HeadlineRecord(
                title="Offshore wind auction draws record bids as climate targets loom",
                url="https://b.test/wind",
            ),
            HeadlineRecord(
                title="Valencia marathon winner targets world record next spring",
                url="https://b.test/marathon",
            ),
        ]
    )
    [wind] = await store.articles.search("offshore wind auction", limit=1)
    assert await store.articles.related(wind.article.id) == []
