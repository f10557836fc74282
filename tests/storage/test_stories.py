"""Reports of one event merge; another angle or a follow-up on the same people does not."""

import json

import pytest

from newsbot.cli import main
from storage import Store
from storage.ingest.records import ArticleRecord
from tests.bot.digests.test_digest_content import (
    EMIRATES_WIRE_A,
    EMIRATES_WIRE_B,
    OTHER_FLIGHT_NEWS,
    STATE_OF_THE_UNION,
)
from tests.data import SHARED, needs_shared_data

BACKGROUND = (
    "The fire destroyed three warehouses at Avonmouth docks in March, and firefighters took two "
    "days to bring it under control. Nobody was hurt, but the port closed for a week and the "
    "damage was put at 40 million pounds. Investigators from the fire service found that the "
    "blaze began in a storage unit rented by a furniture importer, and that the warehouses' "
    "sprinklers had been switched off for repairs. Shipping companies moved cargo to Portbury "
    "and Southampton while the docks were shut, and several hundred dock workers were sent home. "
)
CHARGED = (
    "A 34-year-old man from Bristol has been charged with arson over the Avonmouth docks fire, "
    "Avon and Somerset Police said on Monday. Daniel Hart was arrested at his home on Friday "
    "and will appear before Bristol Magistrates' Court on Tuesday. "
    + BACKGROUND
    + "Detectives said they were not looking for anyone else."
)
PLEA = (
    "Daniel Hart, accused of starting the Avonmouth docks fire, pleaded not guilty to arson at "
    "Bristol Crown Court on Thursday. Judge Julian Lambert set a trial date in September and "
    "refused bail. Hart's barrister, Miriam Okafor, said he was at a friend's flat in Bedminster "
    "that night. " + BACKGROUND
)
# The same case two days apart: the second report repeats the first one's background.
FOLLOW_UP = [
    ("Bristol man charged over Avonmouth docks fire", CHARGED),
    ("Accused denies arson at Crown Court, trial set for September", PLEA),
]


async def stored(store: Store, reports: list[tuple[str, str]]) -> list[int]:
    """The reports stored in a fresh database, by id (in order: 1, 2, ...)."""
    report = await store.articles.ingest(
        ArticleRecord(text, title, f"https://news.test/{n}", f"Wire {n}")
        for n, (title, text) in enumerate(reports)
    )
    assert report.new_articles == len(reports)
    return list(range(1, len(reports) + 1))


async def test_a_second_wire_rewording_one_event_merges_with_it_the_fuller_report_first(
    store: Store,
) -> None:
    emirates = [
        ("Emirates orders 65 Boeing 777-9 jets at Dubai Airshow", EMIRATES_WIRE_A),
        ("Dubai's Emirates places $24bn Boeing widebody order", EMIRATES_WIRE_B),
    ]
    first, second, *others = await stored(store, [*emirates, *OTHER_FLIGHT_NEWS])
    groups = await store.articles.same_story_groups([first, second, *others])
    fuller, shorter = (
        (first, second) if len(EMIRATES_WIRE_A) > len(EMIRATES_WIRE_B) else (second, first)
    )
    assert sorted(groups) == sorted([(fuller, shorter), *((other,) for other in others)])


async def test_a_follow_up_on_the_same_case_is_not_the_same_event(store: Store) -> None:
    ids = await stored(store, FOLLOW_UP)
    assert sorted(await store.articles.same_story_groups(ids)) == [(ids[0],), (ids[1],)]


async def test_a_speech_its_fact_check_and_the_replies_are_not_one_event(store: Store) -> None:
    ids = await stored(store, STATE_OF_THE_UNION)
    assert len(await store.articles.same_story_groups(ids)) == len(ids)


@pytest.mark.slow
@needs_shared_data
def test_same_story_merging_is_right_at_least_19_times_in_20_on_the_labelled_pairs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(
        [
            "evaluate-related",
            "--pairs",
            str(SHARED / "data" / "related-pairs-bbc.jsonl"),
            "--data",
            str(SHARED / "data" / "bbc-news-summary.jsonl.gz"),
            "--own-title-sample",
            "0",
            "--format",
            "json",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert report["same-story merge precision"] >= 0.95
    # A merge that never merges would be useless: it still finds the clear cases.
    assert report["same-story pairs merged"] >= 10
