"""Digest queries on a real SQLite file: due chats, topic matches, stories and the delivery log."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import aiosqlite
import pytest

from storage import articles, digests
from storage.chats import ensure_chat, fetch_chat, update_chat
from storage.database import Database
from storage.ingest.records import ArticleRecord
from storage.ingest.writer import write_records
from storage.migrations import migrate, schema_version

NOW = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "news.db")
    try:
        yield database
    finally:
        await database.close()


async def add_articles(database: Database, records: list[ArticleRecord], at: datetime) -> None:
    async with database.write() as connection:
        await write_records(connection, records, now=at)


async def add_chat(
    database: Database, chat_id: int, *, next_due: datetime | None, **columns: object
) -> None:
    async with database.write() as connection:
        await ensure_chat(connection, chat_id, kind="private", language=None, now=NOW)
        await update_chat(connection, chat_id, {"digest_time": "08:00", **columns})
        await digests.set_next_digest_times(connection, [(chat_id, next_due)])


async def test_due_chats_are_the_active_unpaused_ones_whose_time_has_come(
    database: Database,
) -> None:
    await add_chat(database, 1, next_due=NOW - timedelta(minutes=5))
    await add_chat(database, 2, next_due=NOW)
    await add_chat(database, 3, next_due=NOW + timedelta(minutes=1))
    await add_chat(database, 4, next_due=NOW - timedelta(hours=1), paused=1)
    await add_chat(database, 5, next_due=NOW - timedelta(hours=1), active=0)
    await add_chat(database, 6, next_due=NOW - timedelta(hours=2))
    async with database.read() as connection:
        due = await digests.due_chats(connection, NOW, limit=10)
        first_page = await digests.due_chats(connection, NOW, limit=2)
        last = first_page[-1]
        assert last.next_digest_at is not None
        second_page = await digests.due_chats(
            connection, NOW, limit=2, after=(last.next_digest_at, last.id)
        )
    assert [chat.id for chat in due] == [6, 1, 2]
    assert [chat.id for chat in first_page + second_page] == [6, 1, 2]
    assert due[0].max_stories == 5 and due[0].lookback_hours == 24 and not due[0].notify_empty


async def test_a_changed_schedule_needs_a_new_due_time(database: Database) -> None:
    await add_chat(database, 1, next_due=NOW)
    async with database.read() as connection:
        assert await digests.unscheduled_chats(connection, limit=10) == []
    async with database.write() as connection:
        await update_chat(connection, 1, {"time_zone": "Europe/Kyiv"})
    async with database.read() as connection:
        [chat] = await digests.unscheduled_chats(connection, limit=10)
    assert chat.id == 1 and chat.next_digest_at is None and chat.time_zone == "Europe/Kyiv"


async def test_a_schedule_with_no_days_is_not_recomputed_every_tick(database: Database) -> None:
    await add_chat(database, 1, next_due=None)
    async with database.read() as connection:
        assert await digests.unscheduled_chats(connection, limit=10) == []
        assert await digests.due_chats(connection, NOW, limit=10) == []


async def test_topic_matches_use_stemming_and_the_window_and_categories(
    database: Database,
) -> None:
    old = NOW - timedelta(hours=30)
    await add_articles(
        database, [ArticleRecord("Old news about elections.", title="Elections last year")], old
    )
    await add_articles(
        database,
        [
            ArticleRecord("Voters went to the polls.", title="Election day in Ukraine"),
            ArticleRecord("Nothing to see.", title="Weather", categories=("elections",)),
            ArticleRecord("Cats sleep a lot.", title="Cats"),
        ],
        NOW - timedelta(hours=1),
    )
    async with database.read() as connection:
        matches = await digests.topic_matches(
            connection, "  Elections ", since=NOW - timedelta(hours=24)
        )
        articles = await digests.digest_articles(connection, [m.article_id for m in matches])
    titles = sorted(articles[match.article_id].title for match in matches)
    assert titles == ["Election day in Ukraine", "Weather"]
    assert all(match.strength > 0 for match in matches)


async def test_topic_text_is_never_read_as_query_syntax(database: Database) -> None:
    async with database.read() as connection:
        assert await digests.topic_matches(connection, 'a" OR "b*', since=NOW) == []


async def test_one_story_from_two_sources_has_both_members(database: Database) -> None:
    await add_articles(
        database,
        [
            ArticleRecord("Text one.", title="Peace talks resume in Geneva", source="BBC"),
            ArticleRecord("Text two.", title="Peace talks resume in Geneva", source="AP"),
        ],
        NOW,
    )
    async with database.read() as connection:
        articles = await digests.digest_articles(connection, [1, 2])
        members = await digests.story_members(connection, [articles[1].story_id])
    assert articles[1].story_id == articles[2].story_id
    assert members == {
        articles[1].story_id: [digests.StoryMember(1, "BBC"), digests.StoryMember(2, "AP")]
    }


async def test_the_delivery_log_is_idempotent_and_can_be_taken_back(database: Database) -> None:
    await add_chat(database, 7, next_due=NOW)
    await add_articles(
        database,
        [ArticleRecord("A.", title="Story A here today"), ArticleRecord("B.", title="Story B")],
        NOW,
    )
    async with database.write() as connection:
        await digests.record_deliveries(connection, 7, [1, 2], NOW)
        await digests.record_deliveries(connection, 7, [1], NOW + timedelta(hours=1))
    async with database.read() as connection:
        delivered = await digests.delivered_stories(connection, [7], since=NOW)
    async with database.write() as connection:
        await digests.forget_deliveries(connection, 7, [2])
    async with database.read() as connection:
        after = await digests.delivered_stories(connection, [7, 8], since=NOW)
    assert delivered == {7: {1, 2}}
    assert after == {7: {1}}


async def test_finishing_a_digest_moves_the_window_and_the_due_time(database: Database) -> None:
    await add_chat(database, 1, next_due=NOW)
    async with database.write() as connection:
        await digests.finish_digest(
            connection, 1, digest_at=NOW, next_digest_at=NOW + timedelta(days=1)
        )
    async with database.read() as connection:
        chat = await fetch_chat(connection, 1)
    assert chat is not None
    assert chat.last_digest_at == NOW
    assert chat.next_digest_at == NOW + timedelta(days=1)


async def test_summaries_are_read_from_the_cache_in_one_go(database: Database) -> None:
    await add_articles(
        database, [ArticleRecord("A.", title="A"), ArticleRecord("B.", title="B")], NOW
    )
    async with database.write() as connection:
        await connection.execute(
            "INSERT INTO summary_cache VALUES (1, 'news', 3, '[\"One.\", \"Two.\"]', 0)"
        )
    async with database.read() as connection:
        cached = await articles.cached_summaries(connection, [1, 2], "news", 3)
    assert cached == {1: ("One.", "Two.")}


async def test_a_database_from_before_digests_is_upgraded_keeping_its_chats(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    async with aiosqlite.connect(path, isolation_level=None) as connection:
        await migrate(connection, target=2)
        await connection.execute(
            "INSERT INTO chats (id, digest_time, created_at) VALUES (5, '07:30', 0)"
        )
        assert await schema_version(connection) == 2
    database = await Database.open(path)
    try:
        async with database.read() as connection:
            [chat] = await digests.unscheduled_chats(connection, limit=5)
    finally:
        await database.close()
    assert chat.id == 5 and chat.max_stories == 5


async def offer(database: Database, chat_id: int) -> bool:
    async with database.write() as connection:
        return await digests.offer_schedule(connection, chat_id, time(8, 0))


async def test_the_default_schedule_is_offered_once_to_a_chat_that_never_chose_one(
    database: Database,
) -> None:
    async with database.write() as connection:
        await ensure_chat(connection, 1, kind="private", language=None, now=NOW)
    assert await offer(database, 1) is True
    async with database.read() as connection:
        [chat] = await digests.unscheduled_chats(connection, limit=10)
    assert chat.id == 1 and chat.digest_time == time(8, 0)
    # Switched off afterwards: a later offer (another subscription) leaves it off.
    async with database.write() as connection:
        await update_chat(connection, 1, {"digest_time": None})
    assert await offer(database, 1) is False
    async with database.read() as connection:
        assert await digests.unscheduled_chats(connection, limit=10) == []


async def test_a_chat_with_its_own_schedule_keeps_it_and_is_never_offered_one(
    database: Database,
) -> None:
    await add_chat(database, 1, next_due=NOW)
    assert await offer(database, 1) is False
    async with database.write() as connection:
        await update_chat(connection, 1, {"digest_time": None})
    assert await offer(database, 1) is False


async def test_chats_from_before_the_offer_that_follow_topics_are_not_switched_on(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    async with aiosqlite.connect(path, isolation_level=None) as connection:
        await migrate(connection, target=7)
        await connection.execute("INSERT INTO chats (id, created_at) VALUES (5, 0), (6, 0)")
        await connection.execute(
            "INSERT INTO subscriptions (chat_id, topic, created_at) VALUES (5, 'climate', 0)"
        )
    database = await Database.open(path)
    try:
        # 5 followed a topic with its digest off: that was its choice. 6 never subscribed.
        assert await offer(database, 5) is False
        assert await offer(database, 6) is True
    finally:
        await database.close()


async def test_a_refused_message_is_taken_back_with_what_it_says_about_the_chat(
    database: Database,
) -> None:
    # Blocked: the log entry goes and the chat goes quiet, in one write; a deleted forum
    # topic: the entry goes and later digests use the main thread.
    queries = digests.DigestQueries(database)
    await add_chat(database, 7, next_due=NOW, message_thread_id=42)
    await add_chat(database, 8, next_due=NOW, message_thread_id=43)
    await add_articles(database, [ArticleRecord("A.", title="Story A here today")], NOW)
    for chat_id in (7, 8):
        await queries.record_deliveries(chat_id, [1], NOW)

    await queries.forget_deliveries(7, [1], chat_gone=True)
    await queries.forget_deliveries(8, [1], thread_gone=True)

    assert await queries.delivered_stories([7, 8], since=NOW) == {}
    async with database.read() as connection:
        blocked, moved = await fetch_chat(connection, 7), await fetch_chat(connection, 8)
    assert blocked is not None and moved is not None
    assert (blocked.active, blocked.message_thread_id) == (False, 42)
    assert (moved.active, moved.message_thread_id) == (True, None)
