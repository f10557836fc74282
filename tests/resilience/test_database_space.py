"""A database that runs out of space or turns read-only: a clear StorageError, nothing half
written, the file intact, and everything works again once space (or write access) returns."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Store
from storage.errors import StorageError
from storage.ingest.records import ArticleRecord
from tests.raw_sql import connections

ROOT = Path(__file__).resolve().parents[2]


def articles(prefix: str, count: int) -> list[ArticleRecord]:
    return [
        ArticleRecord(
            title=f"{prefix} title {number}",
            text=f"{prefix} {number} " + " ".join(f"w{(number * 7 + k) % 997}" for k in range(150)),
        )
        for number in range(count)
    ]


async def count(store: Store, table: str) -> int:
    async with (
        connections(store).read() as connection,
        connection.execute(f"SELECT count(*) FROM {table}") as cursor,
    ):
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


def integrity(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


async def limit_pages(store: Store, extra_pages: int | None) -> None:
    """Cap the file at its current size plus ``extra_pages`` (None: lift the cap)."""
    async with connections(store).write() as connection:
        async with connection.execute("PRAGMA page_count") as cursor:
            row = await cursor.fetchone()
        assert row is not None
        limit = 1_073_741_823 if extra_pages is None else int(row[0]) + extra_pages
        await connection.execute(f"PRAGMA max_page_count = {limit}")


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "news.db")
    await opened.articles.ingest(articles("before", 10))
    yield opened
    await opened.close()


async def test_a_full_database_refuses_the_batch_whole_and_recovers(store: Store) -> None:
    await limit_pages(store, extra_pages=5)

    with pytest.raises(StorageError, match="database is full") as refused:
        await store.articles.ingest(articles("big", 300))
    assert "Free some space" in str(refused.value)
    assert await count(store, "articles") == 10  # all or nothing
    assert integrity(store.path) == "ok"
    assert await store.subscriptions.topics(1) == []  # reading goes on

    await limit_pages(store, extra_pages=None)  # space returns
    report = await store.articles.ingest(articles("big", 300))
    assert report.new_articles == 300
    assert await store.subscriptions.subscribe(1, "climate")
    assert integrity(store.path) == "ok"


async def test_a_read_only_database_says_so_and_recovers(store: Store) -> None:
    # query_only makes SQLite refuse writes exactly as for a read-only file (SQLITE_READONLY).
    async with connections(store).write() as connection:
        await connection.execute("PRAGMA query_only = ON")

    with pytest.raises(StorageError, match="read-only"):
        await store.subscriptions.subscribe(1, "climate")
    with pytest.raises(StorageError, match="read-only"):
        await store.articles.ingest(articles("late", 5))
    assert await count(store, "articles") == 10
    assert integrity(store.path) == "ok"

    writer = connections(store)._writer  # the only way to undo query_only on this connection
    await writer.execute("PRAGMA query_only = OFF")
    assert await store.subscriptions.subscribe(1, "climate")


@pytest.mark.skipif(shutil.which("chattr") is None, reason="needs chattr")
def test_ingest_into_an_immutable_database_file_fails_with_a_clear_message(
    tmp_path: Path,
) -> None:
    database = tmp_path / "news.db"
    source = tmp_path / "news.jsonl"
    source.write_text('{"title": "Rates rise", "text": "Rates rose again today."}\n')
    command = [sys.executable, "-m", "newsbot", "ingest", "--db", str(database), str(source)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=60)
    # Even root cannot write an immutable file: a real read-only database, not a simulation.
    immutable = subprocess.run(["chattr", "+i", str(database)], check=False, capture_output=True)
    if immutable.returncode != 0:
        pytest.skip("this file system does not support chattr +i")
    source.write_text('{"title": "Rates fall", "text": "Rates fell again today."}\n')
    try:
        again = subprocess.run(
            command, check=False, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
    finally:
        subprocess.run(["chattr", "-i", str(database)], check=True)
    assert again.returncode != 0
    assert "Traceback" not in again.stderr
    assert "read-only" in again.stderr or "readonly" in again.stderr.lower(), again.stderr
    assert integrity(database) == "ok"
