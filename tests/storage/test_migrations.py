"""Schema migrations under PRAGMA user_version."""

from pathlib import Path

import aiosqlite
import pytest

from storage import SchemaTooNewError, Store
from storage.migrations import LATEST_VERSION, migrate, schema_version


async def test_a_new_database_gets_the_latest_schema(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "new.db"):
        pass
    async with aiosqlite.connect(tmp_path / "new.db") as connection:
        assert await schema_version(connection) == LATEST_VERSION
        async with connection.execute("PRAGMA journal_mode") as cursor:
            assert await cursor.fetchone() == ("wal",)


async def test_a_database_made_by_the_first_step_is_upgraded_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    async with aiosqlite.connect(path, isolation_level=None) as connection:
        assert await migrate(connection, target=1) == 1
        await connection.execute(
            "INSERT INTO articles (id, content_hash, title, title_key, text, fetched_at, sort_at,"
            " story_id) VALUES (1, 'h', 'Old news about glaciers', 'old news about glaciers',"
            " 'Glaciers are melting.', 0, 0, 1)"
        )
        await connection.execute("INSERT INTO chats (id, created_at) VALUES (5, 0)")
    async with await Store.open(path) as store:
        [hit] = await store.articles.search("glacier")
        assert hit.article.title == "Old news about glaciers"
        assert [h.title for h in await store.articles.latest_headlines(topic="glaciers")] == [
            "Old news about glaciers"
        ]
        assert await store.chats.get(5) is not None
        related = await store.articles.related_to_text(
            "Glaciers melt. The glaciers are melting fast."
        )
        assert [headline.title for headline in related] == ["Old news about glaciers"]


async def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    async with aiosqlite.connect(path) as connection:
        await connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(SchemaTooNewError, match="upgrade newsbot"):
        await Store.open(path)


async def test_a_failing_step_leaves_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "partial.db"
    async with aiosqlite.connect(path, isolation_level=None) as connection:
        await migrate(connection, target=1)
        # A table the second step wants to create exists already, so step 2 fails.
        await connection.execute("CREATE TABLE articles_fts (x)")
        with pytest.raises(aiosqlite.OperationalError):
            await migrate(connection)
        assert await schema_version(connection) == 1
