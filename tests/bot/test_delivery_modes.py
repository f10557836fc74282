"""Delivery modes in the daily digest, channel digests and digest pictures, through the emulator.

A topic or source set to "as it happens" or "off" is left out of the daily digest; a channel's
digest has no per-reader buttons and a heading for a channel; a digest previews its top story.
"""

import json
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from bot.cards import article_card
from bot.digests.scheduler import DigestScheduler, RunReport
from bot.digests.timer import JOB_NAME
from bot.live import LiveDelivery
from bot.services import NewsApplication
from bot.settings import Settings, SettingsError
from storage.ingest.jsonl import parse_jsonl
from tests.bot.conftest import Conversation

IMAGE = "https://img.example.org/geneva.jpg"
IMAGES = {
    "Geneva talks open with a prisoner exchange": "https://img.example.org/exchange.jpg",
    "Geneva talks stall on borders": "https://img.example.org/borders.jpg",
}
CHANNEL, GROUP = -100_615_001, -100_615_002
ALICE = 6150


async def _scheduled_digest(
    bot_app: NewsApplication, chat_id: int, *, previews: bool = False, via: str | None = None
) -> RunReport:
    """Run the daily digest for ``chat_id`` as the scheduler would at its slot."""
    for job in bot_app.job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()  # the test runs the scheduler itself
    services = bot_app.bot_data.services
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    slot = now + timedelta(minutes=1)
    await services.store.chats.update(chat_id, digest_time=slot.time(), time_zone="UTC")
    scheduler = DigestScheduler(
        services.store, bot_app.bot, services.summarizer, previews=previews, via=via
    )
    await scheduler.run_once(now=now - timedelta(hours=1))  # computes the due time
    return await scheduler.run_once(now=slot + timedelta(seconds=20))


def _live_delivery(bot_app: NewsApplication, **options: object) -> LiveDelivery:
    """Live delivery as the app runs it, for the test to call: the app's own job removed."""
    for job in bot_app.job_queue.get_jobs_by_name("live"):
        job.schedule_removal()
    services = bot_app.bot_data.services
    return LiveDelivery(services.store, bot_app.bot, partial(article_card, services), **options)


def _sections(text: str) -> list[str]:
    """The topic headings of a digest message: lines after a blank one, not a numbered story."""
    lines = text.splitlines()
    return [
        line
        for index, line in enumerate(lines[1:], 1)
        if lines[index - 1] == "" and not line[:1].isdigit()
    ]


async def test_the_daily_digest_leaves_out_topics_posted_as_they_happen_or_switched_off(
    bot_app, chat, news
):
    for topic in ("ukraine", "climate", "chatbots"):
        await chat.ask(f"/subscribe {topic}")
    assert (await chat.ask("/delivery climate live")).text == "climate: as it happens."
    assert (await chat.ask("/delivery chatbots off")).text == "chatbots: off."

    report = await _scheduled_digest(bot_app, chat.chat_id)

    assert report.digests_sent == 1
    [digest] = await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    assert digest.text.startswith("Your digest · ukraine ·")
    assert _sections(digest.text) == ["ukraine"]
    assert "Geneva" in digest.text
    assert "climate" not in digest.text.lower() and "chatbot" not in digest.text.lower()


async def test_a_chat_set_to_live_gets_no_daily_digest_and_on_demand_digest_has_them(
    bot_app, chat, news, new_chat_id
):
    await chat.ask("/subscribe ukraine")
    await chat.ask("/delivery live")
    report = await _scheduled_digest(bot_app, chat.chat_id)
    assert (report.chats_due, report.digests_sent) == (1, 0)
    assert len(chat.emu.sent_messages(chat.chat_id)) == 2  # the two answers above

    # "5 more on ukraine. /digest shows them": on demand, live topics are in the digest.
    other = Conversation(chat.emu, new_chat_id)
    await other.ask("/subscribe ukraine")
    await other.ask("/delivery live")
    [digest] = await other.send("/digest")
    assert "Geneva" in digest.text


def _feed_story(title: str, number: int, image: str | None = None) -> str:
    body = f"{title}. The harbour authority said berth nine reopens on Monday after repairs. " * 4
    record = {
        "title": title,
        "source": "Harbour Gazette",
        "url": f"https://harbour.example.org/{number}",
        "text": body,
    }
    if image:
        record["image"] = image
    return json.dumps(record)


async def _harbour_feed(bot_app: NewsApplication, *titles: str) -> int:
    store = bot_app.bot_data.services.store
    feed, _ = await store.feeds.add("https://harbour.example.org/rss", title="Harbour Gazette")
    lines = [_feed_story(title, number) for number, title in enumerate(titles, 1)]
    await store.articles.ingest(parse_jsonl(lines, name="harbour.jsonl"), feed_id=feed.id)
    return feed.id


async def _follow_source(chat: Conversation, feed_id: int) -> None:
    listing = await chat.ask("/sources")
    await chat.press(listing, "➕ Harbour Gazette")
    await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)  # the redrawn list


async def test_a_source_followed_as_it_happens_is_posted_alone_and_left_out_of_the_digest(
    bot_app, chat, news
):
    feed_id = await _harbour_feed(bot_app, "Berth nine reopens after quay repairs")
    await chat.ask("/subscribe ukraine")
    await _follow_source(chat, feed_id)
    assert (await chat.ask(f"/delivery source {feed_id} live")).text == (
        f"Source {feed_id}: as it happens."
    )
    listing = await chat.ask("/delivery")
    assert f"• source {feed_id}, Harbour Gazette: as it happens" in listing.text
    sources = await chat.ask("/sources")
    assert f"A followed source as it happens: /delivery source {feed_id} live" in sources.text

    live = _live_delivery(bot_app)
    report = await live.run_once()
    assert (report.queued, report.posted) == (1, 1)
    [card] = await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    assert card.text.startswith("Berth nine reopens after quay repairs")

    await _scheduled_digest(bot_app, chat.chat_id)
    [digest] = await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    assert _sections(digest.text) == ["ukraine"]
    assert "Berth nine" not in digest.text


async def test_a_source_muted_and_followed_again_starts_with_the_chats_own_mode(bot_app, chat):
    feed_id = await _harbour_feed(bot_app, "Berth nine reopens after quay repairs")
    await _follow_source(chat, feed_id)
    await chat.ask(f"/delivery source {feed_id} live")
    listing = await chat.ask("/sources")
    await chat.press(listing, "🔇 Mute")
    await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    await _follow_source(chat, feed_id)

    delivery = await chat.ask("/delivery")
    assert f"source {feed_id}, Harbour Gazette: as it happens" not in delivery.text
    sources = await chat.ask("/sources")
    assert "A followed source as it happens" not in sources.text


async def test_a_source_set_off_stays_out_and_a_bad_source_number_says_what_to_do(
    bot_app, chat, news
):
    feed_id = await _harbour_feed(bot_app, "Berth nine reopens after quay repairs")
    assert (await chat.ask(f"/delivery source {feed_id} off")).text == (
        f"You do not follow source {feed_id}; /sources lists them."
    )
    await _follow_source(chat, feed_id)
    assert (await chat.ask("/delivery source x live")).text == (
        "You do not follow source x; /sources lists them."
    )
    await chat.ask(f"/delivery source {feed_id} off")
    await chat.ask("/subscribe ukraine")
    await _scheduled_digest(bot_app, chat.chat_id)
    [digest] = await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    assert "Berth nine" not in digest.text


@pytest.fixture
async def channel_and_group(bot_app, emu):
    store = bot_app.bot_data.services.store
    emu.add_chat(CHANNEL, "channel", title="Harbour News", username="harbournews")
    emu.set_chat_admins(CHANNEL, [ALICE])
    emu.add_chat(GROUP, "supergroup", title="Harbour Club")
    for chat_id, kind in ((CHANNEL, "channel"), (GROUP, "supergroup")):
        await store.chats.ensure(chat_id, kind=kind)
        await store.subscriptions.subscribe(chat_id, "ukraine")


async def test_a_scheduled_channel_digest_has_no_reader_buttons_and_a_channel_heading(
    bot_app, emu, news, channel_and_group
):
    via = f"@{bot_app.bot.username}"
    await _scheduled_digest(bot_app, CHANNEL, via=via)
    [post] = await emu.wait_for_messages(CHANNEL, count=1, timeout=10)
    assert post.text.startswith("Today's news · ukraine ·")
    assert post.buttons == []
    assert "Geneva" in post.text
    assert any(entity["type"] == "text_link" for entity in post.entities)  # links kept
    assert post.text.endswith(f"\n\nvia {via}")

    # Groups keep what they have: their members press the buttons, and no "via" line.
    await _scheduled_digest(bot_app, GROUP, via=via)
    [group_digest] = await emu.wait_for_messages(GROUP, count=1, timeout=10)
    assert group_digest.text.startswith("Your digest · ukraine ·")
    assert "📄 1 Full summary" in [label for label, _ in group_digest.buttons]
    assert "via @" not in group_digest.text


async def test_a_channel_digest_posted_now_has_the_channel_heading(
    bot_app, emu, news, channel_and_group
):
    alice = Conversation(emu, ALICE)
    # Changing its settings from a private chat leaves it a channel (its kind shapes its posts).
    assert "07:30" in (await alice.ask("/channel @harbournews schedule 07:30")).text
    stored = await bot_app.bot_data.services.store.chats.get(CHANNEL)
    assert stored is not None and stored.kind == "channel"
    reply = await alice.ask("/channel @harbournews digest")
    assert reply.text.startswith("@harbournews: Posted its digest there")
    [post] = emu.sent_messages(CHANNEL)
    assert post.text.startswith("Today's news · ukraine ·")
    assert post.buttons == []
    assert post.text.endswith(f"via @{bot_app.bot.username}")


@pytest.fixture
async def pictured(bot_app):
    store = bot_app.bot_data.services.store
    lines = [
        json.dumps(
            {
                "title": title,
                "source": "Demo Wire",
                "url": f"https://news.example.org/geneva-{number}",
                "text": f"Ukraine and Russia met in Geneva. {title} as talks went on. " * 5,
                "image": image,
            }
        )
        for number, (title, image) in enumerate(IMAGES.items(), 1)
    ]
    await store.articles.ingest(parse_jsonl(lines, name="geneva.jsonl"))


async def test_a_digest_previews_its_top_story_and_a_reader_can_turn_it_off(
    bot_app, chat, pictured, new_chat_id
):
    await chat.ask("/subscribe geneva talks")
    await _scheduled_digest(bot_app, chat.chat_id, previews=True)
    [digest] = await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    [top] = [line for line in digest.text.splitlines() if line.startswith("1. ")]
    assert digest.link_preview_options == {
        "is_disabled": False,
        "url": IMAGES[top.removeprefix("1. ")],
        "prefer_large_media": True,
        "show_above_text": True,
    }

    other = Conversation(chat.emu, new_chat_id)
    await other.ask("/subscribe geneva talks")
    assert "without pictures" in (await other.ask("/previews off")).text
    await _scheduled_digest(bot_app, other.chat_id, previews=True)
    [plain] = await other.emu.wait_for_messages(other.chat_id, count=1, timeout=10)
    assert "Geneva talks" in plain.text
    assert plain.link_preview_options == {"is_disabled": True}


async def test_a_story_posted_as_it_happens_shows_its_picture(bot_app, chat):
    await chat.ask("/subscribe geneva talks")
    await chat.ask("/delivery live")
    live = _live_delivery(bot_app)
    store = bot_app.bot_data.services.store
    line = json.dumps(
        {
            "title": "Geneva talks open with a prisoner exchange",
            "source": "Demo Wire",
            "url": "https://news.example.org/geneva-live",
            "text": "Ukraine and Russia met in Geneva and began with a prisoner exchange. " * 5,
            "image": IMAGE,
        }
    )
    await store.articles.ingest(parse_jsonl([line], name="live.jsonl"))
    assert (await live.run_once()).posted == 1
    [card] = await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    assert card.text.startswith("Geneva talks open with a prisoner exchange")
    assert card.link_preview_options is not None
    assert card.link_preview_options["url"] == IMAGE
    assert card.link_preview_options["prefer_large_media"] is True


async def test_a_group_first_managed_from_a_private_chat_keeps_its_readers_buttons(
    bot_app, emu, news
):
    emu.add_chat(GROUP, "supergroup", title="Harbour Club", username="harbourclub")
    emu.set_chat_admins(GROUP, [ALICE])
    alice = Conversation(emu, ALICE)
    reply = await alice.ask("/channel @harbourclub subscribe ukraine")
    assert reply.text.startswith("@harbourclub: Subscribed to ukraine")
    stored = await bot_app.bot_data.services.store.chats.get(GROUP)
    assert stored is not None and stored.kind == "supergroup"
    await _scheduled_digest(bot_app, GROUP)
    [digest] = await emu.wait_for_messages(GROUP, count=1, timeout=10)
    assert digest.text.startswith("Your digest · ukraine ·")
    assert digest.buttons


async def test_a_story_posted_to_a_channel_as_it_happens_says_which_bot_posted_it(
    bot_app, emu, channel_and_group
):
    alice = Conversation(emu, ALICE)
    await alice.ask("/channel @harbournews subscribe geneva talks")
    await alice.ask("/channel @harbournews delivery live")
    via = f"@{bot_app.bot.username}"
    live = _live_delivery(bot_app, via=via)
    line = json.dumps(
        {
            "title": "Geneva talks open with a prisoner exchange",
            "source": "Demo Wire",
            "url": "https://news.example.org/geneva-channel",
            "text": "Ukraine and Russia met in Geneva and began with a prisoner exchange. " * 5,
        }
    )
    await bot_app.bot_data.services.store.articles.ingest(parse_jsonl([line], name="live.jsonl"))
    assert (await live.run_once()).posted == 1
    [post] = await emu.wait_for_messages(CHANNEL, count=1, timeout=10)
    assert post.text.startswith("Geneva talks open with a prisoner exchange")
    assert post.text.endswith(f"\n\nvia {via}")
    assert post.buttons == []


@pytest.mark.parametrize(("value", "on"), [("", True), ("on", True), ("off", False), ("0", False)])
def test_the_via_line_is_on_unless_the_operator_says_off(value, on):
    environ = {"TELEGRAM_BOT_TOKEN": "1:x", "NEWSBOT_CHANNEL_VIA": value}
    assert Settings.from_env(environ).channel_via is on


def test_a_bad_via_setting_says_what_to_fix():
    with pytest.raises(SettingsError, match="NEWSBOT_CHANNEL_VIA must be on or off, not 'maybe'"):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:x", "NEWSBOT_CHANNEL_VIA": "maybe"})


async def test_past_the_cap_a_channel_gets_the_stories_links_not_a_digest_command(
    bot_app, emu, channel_and_group
):
    alice = Conversation(emu, ALICE)
    await alice.ask("/channel @harbournews subscribe geneva talks")
    await alice.ask("/channel @harbournews delivery live")
    via = f"@{bot_app.bot.username}"
    live = _live_delivery(bot_app, cap=1, via=via)
    lines = [
        json.dumps(
            {
                "title": f"Geneva talks, day {day}: {what}",
                "source": "Demo Wire",
                "url": f"https://news.example.org/geneva-day-{day}",
                "text": f"Ukraine and Russia met in Geneva on day {day}. {what} was agreed. " * 5,
            }
        )
        for day, what in enumerate(["a prisoner exchange", "a ceasefire map", "a grain lane"], 1)
    ]
    await bot_app.bot_data.services.store.articles.ingest(parse_jsonl(lines, name="live.jsonl"))
    report = await live.run_once()
    assert (report.posted, report.batched) == (1, 1)
    [_, batch] = await emu.wait_for_messages(CHANNEL, count=2, timeout=15)
    assert batch.text.startswith("2 more on geneva talks:\n• Geneva talks, day")
    assert "/digest" not in batch.text
    assert batch.text.endswith(f"\n\nvia {via}")
    linked = [entity["url"] for entity in batch.entities if entity["type"] == "text_link"]
    assert len(linked) == 2 and all(url.startswith("https://news.example.org/") for url in linked)
