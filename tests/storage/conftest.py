"""One real SQLite file per test, in tmp_path."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Store

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_e15c51a351289eed.txt"
BBC = SHARED / "data" / "bbc-news-summary.jsonl.gz"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "newsbot.db")
    yield opened
    await opened.close()
