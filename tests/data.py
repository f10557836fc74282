"""Where the tests' data lives: fixtures we wrote, and the team's optional shared data sets.

Tests that evaluate on ``../shared`` carry the ``shared_data`` marker; tests/conftest.py skips
them with one line when a checkout has no ``../shared`` beside it (a fresh clone), and
``.ci/run`` runs them on their own with ``-m shared_data`` in the checkout that has it.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"

# Our own seed-format file: an article about a dock strike in Antwerp, then 17 headlines. Three
# are about the same strike; two share the article's "ships" but are about something else.
SEED = FIXTURES / "seed.txt"
SEED_STORY = frozenset(
    {
        "Antwerp Dock Strike Enters Second Week as Talks With Port Authority Stall",
        "Belgian Labour Minister Appoints Mediator in Antwerp Port Dispute",
        "Shipping Lines Divert Container Ships From Antwerp Port as Dock Strike Drags On",
    }
)
SEED_LOOKALIKES = frozenset(
    {
        "Navy Launches Two New Warships at Glasgow Yard",
        "Cruise Ships Return to Venice Lagoon Under Stricter Rules",
    }
)

# The example input the product was specified from (see ../shared/README.md).
SHARED_SEED = SHARED / "seeds" / "000_e15c51a351289eed.txt"
SHARED_SEED_STORY = frozenset(
    {
        "Mark Carney Reaffirms Canada’s Support for Ukraine as Peace Talks With Russia Gain "
        "Momentum",
        "Zelenskiy to Meet Trump to Advance Ukraine Peace Talks and Security Guarantees",
        "Zelenskiy and Trump Meet in Florida as Ukraine Peace Talks Face Major Hurdles",
    }
)
SHARED_SEED_LOOKALIKES = frozenset(
    {
        "Kim Jong Un Oversees Missile Test Amid Rising Korean Peninsula Tensions",
        "Kim Jong Un Signals Continued Missile Development as North Korea Plans Five-Year "
        "Military Modernization",
    }
)
BBC = SHARED / "data" / "bbc-news-summary.jsonl.gz"
CNNDM = SHARED / "data" / "cnndm-dev.jsonl.gz"

needs_shared_data = pytest.mark.shared_data
