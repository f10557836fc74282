"""Pictures: a story posted alone previews its lead image; readers and operators can say off."""

import json
from dataclasses import replace

import pytest

from bot.app import build_application
from bot.runner import serving
from storage import Store
from storage.ingest.jsonl import parse_jsonl

IMAGE = "https://img.example.org/quay.jpg"
BODY = " ".join(["The harbour reopened berth nine after repairs to the quay wall."] * 6)


@pytest.fixture
async def pictured(database_path):
    lines = [
        json.dumps(
            {
                "title": "Quay wall repaired",
                "source": "Harbour Gazette",
                "url": "https://harbour.example.org/quay",
                "published": "2026-11-30T08:00:00Z",
                "text": BODY,
                "image": IMAGE,
            }
        )
    ]
    async with await Store.open(database_path) as store:
        await store.articles.ingest(parse_jsonl(lines, name="harbour.jsonl"))


async def test_a_summary_previews_its_lead_image_large_above_the_card(bot_app, chat, pictured):
    card = await chat.ask("/summary quay wall")
    assert card.text.startswith("Quay wall repaired")
    assert card.link_preview_options == {
        "is_disabled": False,
        "url": IMAGE,
        "prefer_large_media": True,
        "show_above_text": True,
    }


async def test_a_reader_turns_pictures_off(bot_app, chat, pictured):
    assert "/previews off hides it" in (await chat.ask("/previews")).text
    assert "without pictures" in (await chat.ask("/previews off")).text
    card = await chat.ask("/summary quay wall")
    assert card.link_preview_options == {"is_disabled": True}


async def test_the_operator_turns_pictures_off_for_everyone(
    emu, chat, pictured, settings, summary_executor
):
    off = replace(settings, previews=False)
    async with serving(build_application(off, summary_executor=summary_executor)):
        card = await chat.ask("/summary quay wall")
        assert "switched off" in (await chat.ask("/previews")).text
    assert card.link_preview_options == {"is_disabled": True}


async def test_an_inline_card_carries_the_picture_too(bot_app, emu, pictured):
    query_id = emu.send_inline_query(3101, "quay")
    answer = await emu.wait_for_inline_answer(query_id, timeout=10)
    content = answer.results[0]["input_message_content"]
    assert content["link_preview_options"]["url"] == IMAGE
