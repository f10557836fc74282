"""A headline-only feed, end to end: feed, fetched pages, stored articles, /digest in the chat."""

from dataclasses import replace

from bot.app import build_application
from bot.runner import serving
from tests.bot.conftest import Conversation
from tests.storage.news_site import NewsSite
from tests.storage.news_site import serving as news_site


async def _digest_after_polling(emu, settings, summary_executor, chat_id, site: NewsSite) -> str:
    configured = replace(
        settings,
        feeds=(site.url("/headlines.rss"),),
        fetch_allow_hosts=frozenset({"127.0.0.1"}),
    )
    application = build_application(configured, summary_executor=summary_executor)
    async with serving(application):
        [job] = application.job_queue.get_jobs_by_name("feeds")
        await job.run(application)  # the tick, now rather than in a second
        chat = Conversation(emu, chat_id)
        await chat.ask("/subscribe glaciers")
        return (await chat.ask("/digest")).html


async def test_a_headline_feed_whose_pages_load_gives_summarised_stories(
    emu, settings, summary_executor, new_chat_id
):
    with news_site() as site:
        digest = await _digest_after_polling(emu, settings, summary_executor, new_chat_id, site)
    assert "Alpine glaciers lost a tenth of their ice in two years, study finds" in digest
    assert "Glaciers in the Alps lost about 10% of their remaining ice" in digest
    assert "Credit:" not in digest and "Findings add to evidence" not in digest


async def test_a_headline_feed_whose_pages_fail_gives_linked_headlines(
    emu, settings, summary_executor, new_chat_id
):
    with news_site(NewsSite(pages_fail=True)) as site:
        digest = await _digest_after_polling(emu, settings, summary_executor, new_chat_id, site)
        url = site.url("/pages/glacier-study.html")
    assert f'<a href="{url}">Alpine glaciers lost a tenth of their ice' in digest
    assert "Glaciers in the Alps lost" not in digest
