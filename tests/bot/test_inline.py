"""Inline sharing: ``@newsbot_demo_bot ukraine`` lists stored stories; one is posted as a card."""

from dataclasses import replace

from bot.app import build_application
from bot.runner import serving
from tests.bot.conftest import settle


async def test_an_inline_query_lists_matching_stories_with_a_one_line_summary(bot_app, emu, news):
    query_id = emu.send_inline_query(3001, "geneva talks")
    answer = await emu.wait_for_inline_answer(query_id, timeout=10)
    assert 1 <= len(answer.results) <= 10
    first = answer.results[0]
    assert first["type"] == "article"
    assert first["title"] == "Ukraine and Russia agree to new round of peace talks in Geneva"
    assert first["description"].startswith("Demo Wire · ")
    assert len(first["description"]) < 200
    assert (answer.cache_time, answer.is_personal) == (300, True)


async def test_choosing_a_result_posts_the_summary_card_of_summary(bot_app, emu, news, chat):
    query_id = emu.send_inline_query(3002, "geneva talks")
    answer = await emu.wait_for_inline_answer(query_id, timeout=10)
    posted = emu.choose_inline_result(query_id, answer.results[0]["id"], chat_id=-3900)
    assert posted.via_bot
    card = await chat.ask("/summary geneva talks")
    assert posted.text.splitlines()[0] == card.text.splitlines()[0]
    assert "Demo Wire" in posted.text
    assert '<a href="https://news.example.org/world/ukraine-peace-talks-geneva">' in posted.html


async def test_the_same_query_again_is_served_from_telegrams_cache(bot_app, emu, news):
    first = emu.send_inline_query(3003, "geneva")
    await emu.wait_for_inline_answer(first, timeout=10)
    await settle(emu, bot_app)
    again = emu.send_inline_query(3003, "geneva")
    assert emu.inline_answer(again).cached


async def test_an_empty_query_lists_the_newest_stories_and_pages_on(bot_app, emu, news):
    query_id = emu.send_inline_query(3004, "")
    answer = await emu.wait_for_inline_answer(query_id, timeout=10)
    assert 1 <= len(answer.results) <= 10
    assert answer.next_offset in ("", "10")


async def test_a_query_with_no_match_answers_an_empty_list(bot_app, emu, news):
    query_id = emu.send_inline_query(3005, "zzzqqq")
    answer = await emu.wait_for_inline_answer(query_id, timeout=10)
    assert answer.results == ()


async def test_a_stranger_gets_no_inline_results_in_allowlist_mode(
    emu, news, settings, summary_executor, pages
):
    private = replace(settings, access="allowlist")
    async with serving(
        build_application(private, summary_executor=summary_executor, fetcher=pages)
    ):
        query_id = emu.send_inline_query(3006, "geneva")
        answer = await emu.wait_for_inline_answer(query_id, timeout=10)
    assert answer.results == ()
    assert answer.cache_time == 0
