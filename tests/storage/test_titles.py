"""Clean titles: no datelines, wire revision prefixes or site-name suffixes."""

import pytest

from storage.ingest.titles import clean_title


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("LONDON (Reuters) - The Bank of England raised rates", "The Bank of England raised rates"),
        ("WASHINGTON, Nov 3 (AP) — Senate passes budget bill", "Senate passes budget bill"),
        ("UPDATE 2-Oil prices jump as OPEC cuts output", "Oil prices jump as OPEC cuts output"),
        ("Storm hits coast as thousands flee - BBC News", "Storm hits coast as thousands flee"),
        (
            "Apple braces for China's wrath after ban | Reuters",
            "Apple braces for China's wrath after ban",
        ),
        ("Twitch: Streamer verlieren Geld – heise online", "Twitch: Streamer verlieren Geld"),
        ("Why rates - and prices - rise", "Why rates - and prices - rise"),
        ("Brexit - what happens next", "Brexit - what happens next"),
        ("Election results - live", "Election results - live"),
    ],
)
def test_titles_are_cleaned(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


def test_the_feeds_own_name_is_a_site_suffix() -> None:
    assert clean_title("Harbour bridge reopens | coastal courier", site="Coastal Courier") == (
        "Harbour bridge reopens"
    )
