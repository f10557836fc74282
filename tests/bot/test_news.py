"""/latest and /digest."""


async def test_latest_without_topics_shows_newest_headlines(bot_app, chat, news):
    reply = await chat.ask("/latest")
    lines = reply.text.splitlines()
    assert lines[0] == "Latest news"
    assert 2 <= len(lines) <= 11
    assert all(line.startswith("• ") for line in lines[1:])


async def test_latest_for_a_topic(bot_app, chat, news):
    reply = await chat.ask("/latest climate")
    assert reply.text.splitlines()[0] == "Latest on climate"
    assert "Record heat pushes 2026 towards warmest year" in reply.text
    assert "Marathon" not in reply.text


async def test_latest_for_my_topics(bot_app, chat, news):
    await chat.ask("/subscribe athletics")
    reply = await chat.ask("/latest")
    assert reply.text.splitlines()[0] == "Latest for your topics"
    assert "Marathon record falls in Valencia" in reply.text


async def test_latest_for_an_unknown_topic(bot_app, chat, news):
    reply = await chat.ask("/latest zzzqqq")
    assert reply.text.startswith("No headlines about “zzzqqq” yet.")


async def test_digest_shows_summaries_for_my_topics(bot_app, chat, news):
    await chat.ask("/subscribe ukraine")
    reply = await chat.ask("/digest")
    assert reply.text.startswith("Your digest")
    assert "Geneva" in reply.text or "Kyiv" in reply.text
    assert "Marathon" not in reply.text


async def test_digest_without_topics_says_how_to_start(bot_app, chat, news):
    reply = await chat.ask("/digest")
    assert "/subscribe" in reply.text
