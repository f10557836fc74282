"""Real resources for fetching tests: a SQLite file in tmp_path (the local HTTP server is
tests/conftest.py's local_server)."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "newsbot.db")
    yield opened
    await opened.close()
