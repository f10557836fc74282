"""/latest pages through the stored history with Older/Newer buttons that edit in place."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import build_application
from bot.runner import serving
from storage import Store
from storage.ingest.jsonl import parse_jsonl

START = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
async def history(database_path):
    """25 harbour stories, one an hour: "Harbour story 25" is the newest."""
    lines = [
        json.dumps(
            {
                "title": f"Harbour story {number}",
                "source": "Harbour Gazette",
                "url": f"https://harbour.example.org/{number}",
                "published": (START + timedelta(hours=number)).isoformat(),
                "text": f"The harbour reopened berth {number} after repairs to the quay wall.",
            }
        )
        for number in range(1, 26)
    ]
    async with await Store.open(database_path) as store:
        await store.articles.ingest(parse_jsonl(lines, name="harbour.jsonl"))


def _titles(message) -> list[str]:
    lines = message.text.splitlines()[1:]
    return [line.split(" Harbour Gazette")[0].removeprefix("• ") for line in lines]


async def test_latest_shows_ten_and_pages_back_and_forth_in_place(bot_app, chat, history):
    first = await chat.ask("/latest harbour")
    assert len(_titles(first)) == 10
    assert _titles(first)[0].startswith("Harbour story 25")
    assert [label for label, _ in first.buttons] == ["Older ›"]

    await chat.press(first, "Older")
    [second] = await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    assert second.edited and second.message_id == first.message_id
    assert _titles(second)[0].startswith("Harbour story 15")
    assert [label for label, _ in second.buttons] == ["‹ Newer", "Older ›"]

    await chat.press(second, "Older")
    [third] = await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    assert [title.split()[-1] for title in _titles(third)] == ["5", "4", "3", "2", "1"]
    assert [label for label, _ in third.buttons] == ["‹ Newer"]  # the end of the history

    await chat.press(third, "Newer")
    [back] = await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    assert back.text == second.text


async def test_news_arriving_meanwhile_does_not_shift_the_pages(bot_app, chat, history):
    first = await chat.ask("/latest harbour")
    store = bot_app.bot_data.services.store
    late = {
        "title": "Harbour story breaking",
        "source": "Harbour Gazette",
        "url": "https://harbour.example.org/breaking",
        "published": (datetime.now(UTC) + timedelta(minutes=5)).isoformat(),
        "text": "The harbour closed again for a storm warning this evening.",
    }
    await store.articles.ingest(parse_jsonl([json.dumps(late)], name="late.jsonl"))
    await chat.press(first, "Older")
    [second] = await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    assert _titles(second)[0].startswith("Harbour story 15")


async def test_the_buttons_stay_valid_across_a_restart(chat, history, settings, summary_executor):
    async with serving(build_application(settings, summary_executor=summary_executor)):
        first = await chat.ask("/latest harbour")
    async with serving(build_application(settings, summary_executor=summary_executor)):
        await chat.press(first, "Older")
        [second] = await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    assert _titles(second)[0].startswith("Harbour story 15")


async def test_a_forged_page_button_is_answered_politely(bot_app, chat, history):
    first = await chat.ask("/latest harbour")
    answer = await chat.press_data(first.message_id, "1L:x:zz:harbour")
    assert answer.text == "That list has changed. Send /latest again."
