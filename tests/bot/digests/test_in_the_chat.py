"""Digests in the chat: the first subscription's schedule, /settings options, /digest now."""

import json
from datetime import UTC, datetime, time, timedelta

from storage.ingest.jsonl import parse_jsonl
from tests.bot.conftest import Conversation


def labels(message) -> list[str]:
    return [label for label, _ in message.buttons]


async def stored_schedule(bot_app, chat_id: int) -> time | None:
    chat = await bot_app.bot_data.services.store.chats.get(chat_id)
    return chat.digest_time


async def test_the_first_subscription_switches_the_digest_on_at_eight_with_buttons(bot_app, chat):
    reply = await chat.ask("/subscribe climate")
    assert reply.text.startswith("Subscribed to climate.")
    assert "Daily digest: 08:00 UTC, every day." in reply.text
    assert "/schedule 07:30 Europe/Berlin" in reply.text
    assert labels(reply) == ["07:00", "✓ 08:00", "12:00", "18:00", "Off"]
    assert await stored_schedule(bot_app, chat.chat_id) == time(8, 0)

    later = await chat.ask("/subscribe football")
    assert "Daily digest" not in later.text and later.buttons == []


async def test_a_time_button_moves_the_digest_and_off_switches_it_off_for_good(bot_app, chat):
    offer = await chat.ask("/subscribe climate")
    assert (await chat.press(offer, "18:00")).text == "Saved"
    [edited] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert edited.edited and edited.text.startswith("🗓 Daily digest: 18:00 UTC, every day.")
    assert "✓ 18:00" in labels(edited)
    assert await stored_schedule(bot_app, chat.chat_id) == time(18, 0)

    assert (await chat.press(edited, "Off")).text == "Saved"
    [edited] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert "Daily digest: off" in edited.text and "✓ Off" in labels(edited)
    assert await stored_schedule(bot_app, chat.chat_id) is None

    # Removing every topic and following one again does not undo the choice.
    await chat.ask("/unsubscribe climate")
    again = await chat.ask("/subscribe climate")
    assert "Daily digest" not in again.text
    assert await stored_schedule(bot_app, chat.chat_id) is None


async def test_a_chat_that_switched_the_digest_off_first_is_not_switched_on(bot_app, chat):
    await chat.ask("/schedule off")
    reply = await chat.ask("/subscribe climate")
    assert "Daily digest" not in reply.text
    assert await stored_schedule(bot_app, chat.chat_id) is None


async def test_a_chat_with_its_own_time_keeps_it(bot_app, chat):
    await chat.ask("/schedule 06:15 Asia/Tokyo")
    reply = await chat.ask("/subscribe climate")
    assert "Daily digest" not in reply.text
    assert await stored_schedule(bot_app, chat.chat_id) == time(6, 15)


async def test_the_default_time_is_in_the_chats_time_zone(bot_app, chat):
    panel = await chat.ask("/settings")
    await chat.press(panel, "Europe/Kyiv")
    await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    reply = await chat.ask("/subscribe climate")
    assert "Daily digest: 08:00 Europe/Kyiv, every day." in reply.text


async def test_a_deep_link_and_a_suggestion_button_offer_it_too(bot_app, emu, chat, news):
    reply = await chat.ask("/start topic_climate_change")
    assert "You now follow climate change" in reply.text
    assert "✓ 08:00" in labels(reply)

    other = Conversation(emu, chat.chat_id + 10_000)
    suggestions = await other.ask("/subscribe")
    await other.press(suggestions, suggestions.buttons[0][0])
    [confirmed] = await emu.wait_for_messages(other.chat_id, timeout=10)
    assert confirmed.text.startswith("Subscribed to")
    assert "✓ 08:00" in labels(confirmed)


async def test_in_a_group_only_admins_move_the_offered_time(bot_app, emu, new_chat_id):
    group = Conversation(emu, -new_chat_id, user_id=601, chat_type="group")
    await group.ask("/help")
    emu.set_chat_admins(group.chat_id, [601])
    offer = await group.ask("/subscribe climate")
    member = Conversation(emu, group.chat_id, user_id=602, chat_type="group")
    answer = await member.press(offer, "18:00")
    assert answer.text == "Only this group's admins can change its settings."
    assert await stored_schedule(bot_app, group.chat_id) == time(8, 0)


async def test_settings_set_stories_per_digest_and_nothing_new_notices(bot_app, chat):
    panel = await chat.ask("/settings")
    assert "Stories per digest: 5" in panel.text
    assert "Nothing-new notices: off" in panel.text
    assert {"3 stories", "✓ 5 stories", "10 stories"} <= set(labels(panel))

    assert (await chat.press(panel, "10 stories")).text == "Saved"
    [panel] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert "Stories per digest: 10" in panel.text and "✓ 10 stories" in labels(panel)

    assert (await chat.press(panel, "Nothing-new notices")).text == "Saved"
    [panel] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert "Nothing-new notices: on" in panel.text

    options = await bot_app.bot_data.services.store.chats.get(chat.chat_id)
    assert options is not None
    assert (options.max_stories, options.notify_empty) == (10, True)


_PLACES = [
    "Alta",
    "Brenva",
    "Corbassière",
    "Dents",
    "Eiger",
    "Findel",
    "Gorner",
    "Hufi",
    "Iseran",
    "Jungfrau",
    "Kander",
    "Lauteraar",
]


def glacier_reports() -> list[str]:
    """Twelve long, unrelated-enough articles on glaciers, each a story of its own."""
    lines = []
    for number, place in enumerate(_PLACES):
        sentences = [
            f"Scientists measuring the {place} glacier found it had lost {number + 20} metres "
            f"of ice along its {place} tongue since the survey of spring {1990 + number}, "
            "a retreat they describe as faster than any recorded in the valley before.",
            f"The {place} team, led from a hut at {2000 + number * 50} metres, drilled "
            f"{number + 3} boreholes and compared the cores with aerial photographs taken "
            "every summer by the regional mapping office over three decades of fieldwork.",
            f"Local guides in {place} say routes across the ice now need ladders where "
            "walkers once crossed on foot, and several huts have moved their paths twice.",
        ]
        text = " ".join(sentences * 2)
        lines.append(
            json.dumps(
                {
                    "title": f"{place} glacier lost {number + 20} metres since {1990 + number}",
                    "source": f"Alpine Wire {number}",
                    "url": f"https://alpine.test/{place.lower()}",
                    "published": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
                    "text": text,
                }
            )
        )
    return lines


async def test_digest_now_comes_as_the_scheduled_messages_with_their_buttons(bot_app, chat):
    store = bot_app.bot_data.services.store
    await store.articles.ingest(parse_jsonl(glacier_reports(), name="glaciers.jsonl"))
    await chat.ask("/subscribe glacier")
    panel = await chat.ask("/settings")
    await chat.press(panel, "10 stories")
    await chat.emu.wait_for_messages(chat.chat_id, timeout=10)

    chat.send_only("/digest")
    first = await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    parts = first + await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    assert parts[0].text.startswith("Your digest · glacier")
    # Split between stories, each part with the buttons of its own stories.
    for part in parts:
        numbers = [line.split(". ", 1)[0] for line in part.text.splitlines() if ". " in line]
        story_numbers = {number for number in numbers if number.isdigit()}
        buttons = {label.split()[1] for label in labels(part) if "Full summary" in label}
        assert story_numbers and buttons == story_numbers
        assert any("Unfollow glacier" in label for label in labels(part))
    stories = [
        line
        for part in parts
        for line in part.text.splitlines()
        if line.split(". ", 1)[0].isdigit() and " glacier lost " in line
    ]
    assert len(stories) == 10

    answer = await chat.press(parts[-1], "Full summary")
    assert answer is not None
    [card] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert " glacier lost " in card.text.splitlines()[0]


async def test_digest_now_logs_its_stories_so_neither_it_nor_the_schedule_repeats_them(
    bot_app, chat, news
):
    await chat.ask("/subscribe ukraine")
    digest = await chat.ask("/digest")
    assert any("Full summary" in label for label in labels(digest))
    queries = bot_app.bot_data.services.store.digests
    since = datetime.now(UTC) - timedelta(hours=1)
    delivered = await queries.delivered_stories([chat.chat_id], since=since)
    assert delivered[chat.chat_id]
    again = await chat.ask("/digest")
    assert again.text.startswith("Nothing new on your topics") and again.buttons == []


async def test_a_forged_time_button_is_answered_as_expired(bot_app, chat):
    offer = await chat.ask("/subscribe climate")
    for data in ("1h:23:59:59", "1h:٠٧:00", "1h:"):
        answer = await chat.press_data(offer.message_id, data)
        assert answer.text == "That button has expired; send /settings again."
    assert await stored_schedule(bot_app, chat.chat_id) == time(8, 0)
