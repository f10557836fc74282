"""/summary by search, number, link, reply and without argument; long pasted texts."""

import re

from bot.page_fetcher import FetchedPage

LONG_TEXT = (
    "The city council approved a new budget on Tuesday after weeks of debate. "
    "The budget increases spending on public transport by a fifth. "
    "Bus fares will be frozen for two years, the mayor said. "
    "Opposition members argued that the plan relies on optimistic tax forecasts. "
    "A new tram line to the airport will be built starting next spring. "
    "The council also voted to plant ten thousand trees along major roads. "
    "Local businesses welcomed the investment but warned about construction delays. "
    "The final vote was twenty-one to fourteen."
)


async def test_summary_of_a_search_shows_a_card(bot_app, chat, news):
    reply = await chat.ask("/summary geneva talks")
    title, *rest = reply.text.split("\n\n")
    assert title == "Ukraine and Russia agree to new round of peace talks in Geneva"
    assert '<b><a href="https://news.example.org/world/ukraine-peace-talks-geneva">' in reply.html
    # The demo news is dated within the last day: the card shows the time or "yesterday".
    assert re.search(r"\nDemo Wire · (\d\d:\d\d|yesterday) · #\d+$", reply.text)
    summary = rest[0]
    assert 1 <= summary.count(". ") + 1 <= 4


async def test_summary_by_article_number(bot_app, chat, news):
    first = await chat.ask("/summary geneva")
    number = first.text.split("#")[-1].split()[0]
    again = await chat.ask(f"/summary {number}")
    assert again.text.splitlines()[0] == first.text.splitlines()[0]


async def test_summary_is_cached_per_article(bot_app, chat, news):
    reply = await chat.ask("/summary geneva")
    number = int(reply.text.split("#")[-1].split()[0])
    store = bot_app.bot_data.services.store
    assert await store.articles.cached_summary(number, "news", 3) is not None


async def test_summary_nothing_found_suggests_something(bot_app, chat, news):
    reply = await chat.ask("/summary zzzqqq")
    assert reply.text.startswith("I found nothing about “zzzqqq”")
    assert "/latest" in reply.text


async def test_summary_without_argument_uses_my_topics(bot_app, chat, news):
    nothing = await chat.ask("/summary")
    assert "Nothing new for your topics" in nothing.text
    await chat.ask("/subscribe athletics")
    reply = await chat.ask("/summary")
    assert reply.text.startswith("Marathon record falls in Valencia")


async def test_summary_as_reply_summarises_the_replied_message(bot_app, chat):
    pasted = chat.send_only("just a note: " + LONG_TEXT)
    await chat.emu.wait_for_messages(chat.chat_id, timeout=10)  # its own automatic summary
    reply = await chat.ask("/summary", reply_to_message_id=pasted["message_id"])
    assert reply.text.startswith("Summary\n\n")
    assert "budget" in reply.text


async def test_long_plain_text_is_summarised(bot_app, chat):
    reply = await chat.ask(LONG_TEXT)
    assert reply.text.startswith("Summary\n\n")
    assert len(reply.text) < len(LONG_TEXT)


async def test_long_text_with_markup_is_escaped(bot_app, chat):
    reply = await chat.ask("<b>Bold</b> claims & <u>more</u>. " + LONG_TEXT)
    assert reply.text.startswith("Summary")
    # Only the bot's own tags are markup; the user's are shown as text.
    assert set(re.findall(r"</?(\w+)", reply.html)) <= {"b", "a", "i"}


async def test_summary_of_a_link_fetches_the_page(bot_app, chat, pages):
    url = "https://pages.test/budget"
    pages.pages[url] = FetchedPage(url=url, title="Council <approves> budget", text=LONG_TEXT)
    reply = await chat.ask(f"/summary {url}")
    assert reply.text.startswith("Council <approves> budget\n\n")
    assert '<a href="https://pages.test/budget">Council &lt;approves&gt; budget</a>' in reply.html


async def test_a_link_sent_alone_is_summarised(bot_app, chat, pages):
    url = "https://pages.test/alone"
    pages.pages[url] = FetchedPage(url=url, title="Alone", text=LONG_TEXT)
    reply = await chat.ask(url)
    assert reply.text.startswith("Alone\n\n")


async def test_unreadable_link_gets_a_short_explanation(bot_app, chat):
    reply = await chat.ask("/summary https://pages.test/missing")
    assert reply.text == "Sorry, I could not read that page (HTTP 404)."


async def test_too_short_reply_target_is_explained(bot_app, chat):
    short = chat.send_only("hi there")
    await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    reply = await chat.ask("/summary", reply_to_message_id=short["message_id"])
    assert "too short" in reply.text


async def test_summary_as_reply_to_a_card_summarises_its_story_not_the_card(bot_app, chat, news):
    card = await chat.ask("/summary geneva")
    reply = await chat.ask("/summary", reply_to_message_id=card.message_id)
    assert reply.text.splitlines()[0] == card.text.splitlines()[0]
    assert not reply.text.startswith("Summary")


async def test_summary_as_reply_to_a_digest_summarises_its_one_story(bot_app, chat, news):
    await chat.ask("/subscribe geneva")
    digest = await chat.ask("/digest")
    [title] = [line for line in digest.text.splitlines() if line.startswith("1. ")]
    reply = await chat.ask("/summary", reply_to_message_id=digest.message_id)
    assert reply.text.splitlines()[0] == title.removeprefix("1. ")


async def test_summary_as_reply_to_a_digest_of_several_stories_says_which_to_press(
    bot_app, chat, news
):
    await chat.ask("/subscribe ukraine")
    digest = await chat.ask("/digest")
    assert "\n2. " in digest.text
    reply = await chat.ask("/summary", reply_to_message_id=digest.message_id)
    assert reply.text.startswith("I can only summarise a message of mine about one story.")
