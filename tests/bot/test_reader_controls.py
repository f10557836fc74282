"""Reader controls end to end: mute words, sources (follow, mute), and /feed for operators.

The bot runs against the Bot API emulator on a real SQLite file; feeds come from a real local
HTTP server allowed through the fetch allow-list.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from aiohttp import web

from bot.settings import Settings
from tests.bot.conftest import Conversation

OPERATOR = 999  # in the bot_app settings' admin_ids
# Digests take news published within their window: the feed's items are an hour old.
RECENT = datetime.now(UTC) - timedelta(hours=1)


def _item(title: str, slug: str, body: str) -> str:
    # Over 80 words, so the item is stored as an article (digests rank articles).
    text = " ".join([body] * 12)
    return (
        f"<item><title>{title}</title><link>http://harbour.test/{slug}</link>"
        f"<description>{text}</description>"
        f"<pubDate>{format_datetime(RECENT)}</pubDate></item>"
    )


HARBOUR = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
    "<title>Harbour Gazette</title><link>http://harbour.test/</link><description>x</description>"
    + _item(
        "Lighthouse keeper retires after forty years",
        "lighthouse",
        "The lighthouse keeper of the harbour retired after forty years of service.",
    )
    + _item(
        "Harbour football club wins the regional cup",
        "football",
        "The harbour football club won the regional cup final on Sunday evening.",
    )
    + "</channel></rss>"
)
VALLEY = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
    "<title>Valley Times</title><link>http://valley.test/</link><description>x</description>"
    + _item(
        "Valley orchard harvest breaks records",
        "orchard",
        "Orchards across the valley picked more apples this autumn than in any year before.",
    )
    + "</channel></rss>"
)


@dataclass
class FeedServer:
    base_url: str = ""
    bodies: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    server = FeedServer(bodies={"/harbour": HARBOUR, "/valley": VALLEY, "/page": "<html>hi</html>"})

    async def serve(request: web.Request) -> web.Response:
        body = server.bodies.get(request.path)
        if body is None:
            raise web.HTTPNotFound()
        return web.Response(text=body, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/{name}", serve)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    server.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield server
    finally:
        await runner.cleanup()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, fetch_allow_hosts=frozenset({"127.0.0.1"}))


@pytest.fixture
def operator(emu) -> Conversation:
    return Conversation(emu, OPERATOR, user_id=OPERATOR)


async def _add(operator: Conversation, url: str) -> str:
    return (await operator.ask(f"/feed add {url}")).text


# mute words


async def test_mute_hides_stories_from_latest_and_muted_lists_them(bot_app, chat, operator, feeds):
    assert "Added feed" in await _add(operator, feeds.url("/harbour"))
    before = await chat.ask("/latest")
    assert "football club" in before.text
    reply = await chat.ask("/mute Football")
    assert reply.text.startswith("Muted football")
    after = await chat.ask("/latest")
    assert "Lighthouse keeper" in after.text
    assert "football" not in after.text.lower()
    listing = await chat.ask("/muted")
    assert "• football" in listing.text
    assert [label for label, _ in listing.buttons] == ["🔊 football"]


async def test_a_muted_word_never_reaches_the_digest_or_summary(bot_app, chat, operator, feeds):
    await _add(operator, feeds.url("/harbour"))
    await chat.ask("/subscribe harbour")
    await chat.ask("/mute lighthouse")
    digest = await chat.ask("/digest")
    assert "football club" in digest.text
    assert "Lighthouse" not in digest.text
    await chat.ask("/mute football")
    summary = await chat.ask("/summary")
    assert "Lighthouse" not in summary.text and "football" not in summary.text.lower()


async def test_unmute_by_word_and_by_button(bot_app, chat):
    await chat.ask("/mute football")
    await chat.ask("/mute royal family")
    assert (await chat.ask("/unmute Football")).text == "Unmuted football."
    missing = await chat.ask("/unmute football")
    assert "was not muted" in missing.text
    offer = await chat.ask("/unmute")
    assert [label for label, _ in offer.buttons] == ["🔊 royal family"]
    answer = await chat.press(offer, "royal family")
    assert answer.text == "Unmuted royal family"
    [edited] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert edited.edited and "Nothing is muted" in edited.text


async def test_mute_without_a_word_explains_itself(bot_app, chat):
    assert "Tell me what to hide" in (await chat.ask("/mute")).text
    assert "letter or digit" in (await chat.ask("/mute ***")).text


# sources


async def test_sources_show_titles_but_not_addresses_to_readers(bot_app, chat, operator, feeds):
    await _add(operator, feeds.url("/harbour?key=secret"))
    listing = await chat.ask("/sources")
    assert "Harbour Gazette" in listing.text
    assert "127.0.0.1" not in listing.text and "secret" not in listing.text
    for_operator = await operator.ask("/sources")
    assert feeds.url("/harbour?key=secret") in for_operator.text


async def test_following_a_source_brings_its_stories_into_the_digest(
    bot_app, chat, operator, feeds
):
    await _add(operator, feeds.url("/valley"))
    listing = await chat.ask("/sources")
    answer = await chat.press(listing, "➕ Valley Times")
    assert answer.text == "Following Valley Times"
    [edited] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert "Valley Times — ✓ following" in edited.text
    digest = await chat.ask("/digest")
    assert "Valley orchard harvest breaks records" in digest.text


async def test_a_followed_source_counts_as_a_topic_in_latest(bot_app, chat, operator, feeds):
    await _add(operator, feeds.url("/harbour"))
    await _add(operator, feeds.url("/valley"))
    await chat.ask("/subscribe lighthouse")
    listing = await chat.ask("/sources")
    await chat.press(listing, "➕ Valley Times")
    await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    latest = await chat.ask("/latest")
    assert latest.text.startswith("Latest for your topics")
    assert "Valley orchard" in latest.text and "Lighthouse keeper" in latest.text
    assert "football" not in latest.text


async def test_a_muted_source_disappears_from_latest(bot_app, chat, operator, feeds):
    await _add(operator, feeds.url("/harbour"))
    await _add(operator, feeds.url("/valley"))
    listing = await chat.ask("/sources")
    data = [data for label, data in listing.buttons if label == "🔇 Mute"]
    await chat.press_data(listing.message_id, data[0])  # Harbour Gazette, the first feed
    await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    latest = await chat.ask("/latest")
    assert "Valley orchard" in latest.text
    assert "Lighthouse" not in latest.text


# /feed for operators


async def test_feed_add_checks_the_feed_and_remove_drops_it(bot_app, operator, feeds):
    added = await _add(operator, feeds.url("/harbour"))
    assert added.startswith("Added feed 1: Harbour Gazette (2 new stories)")
    again = await _add(operator, feeds.url("/harbour"))
    assert "already read" in again
    removed = await operator.ask("/feed remove 1")
    assert removed.text.startswith("Removed feed 1: Harbour Gazette")
    listing = await operator.ask("/sources")
    assert "I read no feeds yet" in listing.text


async def test_feed_add_refuses_what_is_not_a_feed(bot_app, operator, feeds):
    page = await _add(operator, feeds.url("/page"))
    assert "did not give me an RSS or Atom feed" in page
    missing = await _add(operator, feeds.url("/missing"))
    assert "did not give me an RSS or Atom feed" in missing and "404" in missing
    not_a_url = await _add(operator, "ftp://example.com/x")
    assert "not a web address" in not_a_url
    assert "I read no feeds yet" in (await operator.ask("/sources")).text


async def test_readers_may_not_change_the_feeds(bot_app, chat, feeds):
    reply = await chat.ask(f"/feed add {feeds.url('/harbour')}")
    assert reply.text.startswith("Sorry, only the bot's operators")
    assert "I read no feeds yet" in (await chat.ask("/sources")).text


@pytest.mark.parametrize("data", ["1o:x1", "1o:f²", "1o:f", "1o:f99"])
async def test_a_forged_or_stale_source_button_is_answered_politely(bot_app, chat, data):
    reply = await chat.ask("/sources")
    answer = await chat.press_data(reply.message_id, data)
    assert "Send /sources again" in answer.text
