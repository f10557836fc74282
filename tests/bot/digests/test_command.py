"""`newsbot digest --chat ID --dry-run` (the command lives in newsbot/, the digest here)."""

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsbot.cli import main
from storage import Store
from storage.ingest.records import ArticleRecord


@pytest.fixture
async def database(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    async with await Store.open(path) as store:
        await store.articles.ingest(
            [
                ArticleRecord(
                    "Negotiators met in Geneva. Both sides said the talks were useful.",
                    title="Peace talks <resume> in Geneva",
                    url="https://example.org/geneva",
                    source="BBC",
                )
            ]
        )
        await store.chats.ensure(5)
        await store.subscriptions.subscribe(5, "geneva")
        await store.chats.ensure(6)
    return path


def run_command(*arguments: str) -> int:
    # The command runs its own event loop, as from a shell.
    return main(["digest", *arguments])


async def test_dry_run_shows_the_digest_as_text_and_logs_nothing(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = await asyncio.to_thread(run_command, "--chat", "5", "--dry-run", "--db", str(database))
    output = capsys.readouterr().out
    assert status == 0
    assert "1. Peace talks <resume> in Geneva (https://example.org/geneva)" in output
    assert "[📄 1 Full summary] [➕ 1 More like this] [🔕 Unfollow geneva]" in output
    async with await Store.open(database) as store:
        since = datetime.now(UTC) - timedelta(days=1)
        assert await store.digests.delivered_stories([5], since=since) == {}


async def test_a_chat_without_topics_or_unknown_is_said_plainly(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        await asyncio.to_thread(run_command, "--chat", "6", "--dry-run", "--db", str(database)) == 0
    )
    assert "follows no topics" in capsys.readouterr().out
    assert (
        await asyncio.to_thread(run_command, "--chat", "7", "--dry-run", "--db", str(database)) == 1
    )
    assert "no chat 7" in capsys.readouterr().err
