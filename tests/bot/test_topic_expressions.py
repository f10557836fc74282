"""Topic expressions through the bot: /subscribe with AND, OR and -exclusions, and /latest."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import Store
from storage.ingest.records import ArticleRecord

DAY = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture
async def football_news(database_path: Path) -> None:
    store = await Store.open(database_path)
    try:
        stories = [
            ("Ukraine peace talks resume", "Delegations met in Geneva."),
            ("Ukraine football team wins", "The national football side won."),
            ("Emissions fall in Europe", "Carbon output dropped."),
        ]
        await store.articles.ingest(
            ArticleRecord(title=title, text=text, published_at=DAY + timedelta(hours=hour))
            for hour, (title, text) in enumerate(stories)
        )
    finally:
        await store.close()


async def test_an_expression_topic_filters_latest(bot_app, chat, football_news):
    reply = await chat.ask("/subscribe Ukraine -football")
    assert reply.text.startswith("Subscribed to ukraine -football")
    latest = await chat.ask("/latest")
    assert "Ukraine peace talks resume" in latest.text
    assert "football team" not in latest.text


async def test_latest_takes_an_expression_as_its_argument(bot_app, chat, football_news):
    latest = await chat.ask("/latest emissions OR peace")
    assert "Emissions fall in Europe" in latest.text
    assert "Ukraine peace talks resume" in latest.text
    assert "football" not in latest.text


async def test_an_unreadable_expression_is_refused_with_what_to_fix(bot_app, chat):
    reply = await chat.ask('/subscribe "climate change')
    assert "Close the quote" in reply.text
    only_excluded = await chat.ask("/subscribe -football")
    assert "at least one word" in only_excluded.text
    topics = await chat.ask("/topics")
    assert "You follow no topics" in topics.text
