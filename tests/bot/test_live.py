"""Delivery as it happens: new stories posted alone as /summary cards, merged, capped, quiet."""

import json
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from bot.cards import article_card
from bot.live import LiveDelivery, is_quiet
from storage.ingest.jsonl import parse_jsonl
from tests.bot.conftest import Conversation

BODY = "Cranes at the container terminal stood still as dock workers walked out over pay. " * 5


def _story(title: str, source: str, number: int) -> str:
    return json.dumps(
        {
            "title": title,
            "source": source,
            "url": f"https://{source.lower().replace(' ', '')}.example.org/{number}",
            "text": f"{BODY} Report {number} from {source}.",
        }
    )


@pytest.fixture
def live_delivery(bot_app):
    """The bot's live delivery, run by the test instead of the 30-second job."""
    for job in bot_app.job_queue.get_jobs_by_name("live"):
        job.schedule_removal()
    services = bot_app.bot_data.services

    def make(cap: int = 10) -> LiveDelivery:
        card = partial(article_card, bot_app.bot_data.services)
        return LiveDelivery(services.store, bot_app.bot, card, cap=cap)

    return make


async def _ingest(bot_app, *lines: str) -> None:
    await bot_app.bot_data.services.store.articles.ingest(
        parse_jsonl(list(lines), name="new.jsonl")
    )


async def _follow_live(chat: Conversation) -> None:
    await chat.ask("/subscribe dock strike")
    reply = await chat.ask("/delivery dock strike live")
    assert reply.text == "dock strike: as it happens."


async def test_a_new_story_is_posted_once_as_its_summary_card_even_from_two_sources(
    bot_app, chat, live_delivery
):
    await _follow_live(chat)
    delivery = live_delivery()
    await _ingest(
        bot_app,
        _story("Dock strike halts the container terminal in Harbour City", "Harbour Gazette", 1),
        _story("Dock strike halts the container terminal in Harbour City", "Coast Wire", 2),
    )
    report = await delivery.run_once()
    assert (report.queued, report.posted) == (1, 1)
    [card] = await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    assert card.text.startswith("Dock strike halts the container terminal in Harbour City")
    assert card.buttons == []
    # Nothing new: nothing more, and the daily digest will not repeat it.
    assert (await delivery.run_once()).posted == 0
    assert await bot_app.bot_data.services.store.live.pending(chat.chat_id) == []


async def test_past_the_hourly_cap_the_rest_comes_as_one_batched_message(
    bot_app, chat, live_delivery
):
    await _follow_live(chat)
    delivery = live_delivery(cap=2)
    await _ingest(
        bot_app,
        *(
            _story(f"Dock strike day {n}: talks {w} at the port", "Harbour Gazette", n)
            for n, w in enumerate(["stall", "resume", "collapse", "restart", "drag"], 1)
        ),
    )
    report = await delivery.run_once()
    assert (report.posted, report.batched) == (2, 1)
    messages = await chat.emu.wait_for_messages(chat.chat_id, count=3, timeout=15)
    assert messages[-1].text == "3 more on dock strike. /digest shows them."


async def test_quiet_hours_hold_the_queue_until_they_end(bot_app, chat, live_delivery):
    await _follow_live(chat)
    now = datetime.now(UTC)
    start, end = (now - timedelta(hours=1)), (now + timedelta(hours=1))
    reply = await chat.ask(f"/quiet {start:%H:%M} {end:%H:%M}")
    assert reply.text.startswith("Quiet from")
    delivery = live_delivery()
    await _ingest(bot_app, _story("Dock strike spreads to the ferry port", "Coast Wire", 9))
    report = await delivery.run_once()
    assert (report.posted, report.held_quiet) == (0, 1)
    assert "No quiet hours any more" in (await chat.ask("/quiet off")).text
    assert (await delivery.run_once()).posted == 1


async def test_delivery_shows_and_checks_its_arguments(bot_app, chat):
    await chat.ask("/subscribe dock strike")
    assert "You do not follow “ferries”" in (await chat.ask("/delivery ferries live")).text
    assert "End with daily, live or off" in (await chat.ask("/delivery dock strike soon")).text
    assert "All your topics: as it happens." in (await chat.ask("/delivery live")).text
    listing = await chat.ask("/delivery")
    assert "• dock strike: as it happens" in listing.text


@pytest.mark.parametrize(
    ("minute", "hours", "quiet"),
    [(23 * 60, (22 * 60, 7 * 60), True), (6 * 60, (22 * 60, 7 * 60), True),
     (12 * 60, (22 * 60, 7 * 60), False), (13 * 60, (12 * 60, 14 * 60), True)],
)  # fmt: skip
def test_quiet_hours_may_wrap_past_midnight(minute, hours, quiet):
    moment = datetime(2026, 12, 1, tzinfo=UTC) + timedelta(minutes=minute)
    assert is_quiet(moment, "UTC", hours) is quiet
