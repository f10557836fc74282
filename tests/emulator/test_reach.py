"""Channels, inline queries, photos and link previews, answered as Telegram does."""

import pytest

from emulator import BotApiEmulator

CHANNEL = -100777
ADMIN, READER = 501, 502


def _article(result_id: str, text: str = "<b>Card</b>") -> dict:
    return {
        "type": "article",
        "id": result_id,
        "title": "Title",
        "input_message_content": {"message_text": text, "parse_mode": "HTML"},
    }


# --- channels ---------------------------------------------------------------------------------


async def test_the_bot_is_an_administrator_of_a_channel_it_was_added_to(emulator, api):
    emulator.add_chat(CHANNEL, "channel", title="Harbour News", username="harbour")
    emulator.set_chat_admins(CHANNEL, [ADMIN])
    bot = await api.result("getChatMember", chat_id="@harbour", user_id=123456)
    assert bot["status"] == "administrator"
    assert bot["can_post_messages"] is True
    admin = await api.result("getChatMember", chat_id=CHANNEL, user_id=ADMIN)
    assert admin["status"] == "creator"
    emulator.world.add_user(READER)
    reader = await api.result("getChatMember", chat_id=CHANNEL, user_id=READER)
    assert reader["status"] == "left"
    chat = await api.result("getChat", chat_id="@harbour")
    assert (chat["type"], chat["title"]) == ("channel", "Harbour News")


async def test_a_second_admin_has_channel_posting_rights(emulator, api):
    emulator.add_chat(CHANNEL, "channel", username="harbour")
    emulator.set_chat_admins(CHANNEL, [ADMIN, READER])
    member = await api.result("getChatMember", chat_id=CHANNEL, user_id=READER)
    assert member["status"] == "administrator"
    assert member["can_post_messages"] is True


async def test_a_demoted_bot_gets_my_chat_member_and_may_no_longer_post(emulator, api):
    emulator.add_chat(CHANNEL, "channel", username="harbour")
    emulator.set_chat_admins(CHANNEL, [ADMIN])
    emulator.set_bot_status(CHANNEL, "member")
    [update] = await api.result("getUpdates")
    change = update["my_chat_member"]
    assert change["from"]["id"] == ADMIN
    assert change["old_chat_member"]["status"] == "administrator"
    assert change["new_chat_member"]["status"] == "member"
    assert await api.call("sendMessage", chat_id=CHANNEL, text="hi") == (
        400,
        {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: need administrator rights in the channel chat",
        },
    )


async def test_a_removed_bot_is_forbidden_in_the_channel(emulator, api):
    emulator.add_chat(CHANNEL, "channel")
    emulator.set_chat_admins(CHANNEL, [ADMIN])
    emulator.set_bot_status(CHANNEL, "left")
    [update] = await api.result("getUpdates")
    assert update["my_chat_member"]["new_chat_member"]["status"] == "left"
    status, body = await api.call("sendMessage", chat_id=CHANNEL, text="hi")
    assert (status, body["description"]) == (
        403,
        "Forbidden: bot is not a member of the channel chat",
    )
    bot = await api.result("getChatMember", chat_id=CHANNEL, user_id=123456)
    assert bot["status"] == "left"


def test_a_private_chat_has_no_bot_status_to_change(emulator):
    emulator.add_chat(1001)
    with pytest.raises(ValueError, match="block_bot"):
        emulator.set_bot_status(1001, "left")


# --- inline mode ------------------------------------------------------------------------------


async def test_get_me_reports_inline_mode(api):
    assert (await api.result("getMe"))["supports_inline_queries"] is True


async def test_a_bot_without_inline_mode_gets_no_inline_queries():
    async with BotApiEmulator(inline_queries=False) as emu:
        with pytest.raises(ValueError, match="BotFather"):
            emu.send_inline_query(1001, "ukraine")


async def test_an_inline_query_reaches_the_bot_and_its_answer_the_user(emulator, api):
    query_id = emulator.send_inline_query(1001, "ukraine")
    [update] = await api.result("getUpdates")
    assert update["inline_query"]["query"] == "ukraine"
    assert update["inline_query"]["from"]["id"] == 1001
    assert await api.result(
        "answerInlineQuery",
        inline_query_id=query_id,
        results=[_article("a1")],
        cache_time=30,
    )
    answer = await emulator.wait_for_inline_answer(query_id, timeout=5.0)
    assert ([result["id"] for result in answer.results], answer.cache_time) == (["a1"], 30)


async def test_choosing_a_result_posts_it_in_the_chat_via_the_bot(emulator, api):
    emulator.add_chat(2002)
    query_id = emulator.send_inline_query(1001, "ukraine")
    await api.result("answerInlineQuery", inline_query_id=query_id, results=[_article("a1")])
    sent = emulator.choose_inline_result(query_id, "a1", chat_id=2002)
    assert (sent.text, sent.via_bot) == ("Card", True)
    [seen] = await emulator.wait_for_messages(2002, count=1, timeout=5.0)
    assert seen == sent


async def test_an_identical_query_within_cache_time_is_served_from_telegrams_cache(emulator, api):
    first = emulator.send_inline_query(1001, "ukraine")
    await api.result(
        "answerInlineQuery", inline_query_id=first, results=[_article("a1")], cache_time=60
    )
    second = emulator.send_inline_query(1002, "ukraine")
    answer = emulator.inline_answer(second)
    assert answer is not None
    assert answer.cached
    assert emulator.stats.updates_queued == 1  # the bot was asked only the first time


async def test_a_personal_answer_is_cached_for_its_user_only(emulator, api):
    first = emulator.send_inline_query(1001, "ukraine")
    await api.result(
        "answerInlineQuery",
        inline_query_id=first,
        results=[_article("a1")],
        cache_time=60,
        is_personal=True,
    )
    assert emulator.inline_answer(emulator.send_inline_query(1001, "ukraine")).cached
    assert emulator.inline_answer(emulator.send_inline_query(1002, "ukraine")) is None


@pytest.mark.parametrize(
    ("results", "description"),
    [
        ([_article(f"r{n}") for n in range(51)], "RESULTS_TOO_MUCH"),
        ([_article("x" * 65)], "RESULT_ID_INVALID"),
        ([_article("")], "RESULT_ID_INVALID"),
        ([_article("a"), _article("a")], "RESULT_ID_DUPLICATE"),
        ([_article("a", text="   ")], "MESSAGE_EMPTY"),
        ([_article("a", text="x" * 4097)], "MESSAGE_TOO_LONG"),
        ([{"type": "gif", "id": "a"}], "RESULT_TYPE_INVALID"),
    ],
)
async def test_inline_results_are_checked_as_telegram_does(emulator, api, results, description):
    query_id = emulator.send_inline_query(1001, "ukraine")
    status, body = await api.call("answerInlineQuery", inline_query_id=query_id, results=results)
    assert (status, body["description"]) == (400, f"Bad Request: {description}")


async def test_fifty_results_with_64_byte_ids_are_accepted(emulator, api):
    query_id = emulator.send_inline_query(1001, "ukraine")
    results = [_article(f"{n:02d}".ljust(64, "x")) for n in range(50)]
    assert await api.result("answerInlineQuery", inline_query_id=query_id, results=results)


async def test_an_inline_query_is_answered_once_and_only_in_time(emulator, api):
    now = [1_000_000.0]
    emulator.world.clock = lambda: now[0]
    late = emulator.send_inline_query(1001, "late")
    now[0] += 11
    status, body = await api.call("answerInlineQuery", inline_query_id=late, results=[])
    assert (status, body["description"]) == (
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    )
    once = emulator.send_inline_query(1001, "once")
    assert await api.result("answerInlineQuery", inline_query_id=once, results=[], cache_time=0)
    status, _ = await api.call("answerInlineQuery", inline_query_id=once, results=[])
    assert status == 400


# --- photos and link previews -----------------------------------------------------------------


async def test_send_photo_by_url_with_an_html_caption(emulator, api):
    emulator.add_chat(1001)
    message = await api.result(
        "sendPhoto",
        chat_id=1001,
        photo="https://example.org/lead.jpg",
        caption="<b>Storm</b> hits the coast",
        parse_mode="HTML",
    )
    assert message["caption"] == "Storm hits the coast"
    assert message["caption_entities"] == [{"type": "bold", "offset": 0, "length": 5}]
    [sent] = emulator.sent_messages(1001)
    assert (sent.photo, sent.text) == ("https://example.org/lead.jpg", "Storm hits the coast")
    again = await api.result("sendPhoto", chat_id=1001, photo=message["photo"][0]["file_id"])
    assert "caption" not in again
    assert emulator.sent_messages(1001)[1].photo == "https://example.org/lead.jpg"


async def test_a_caption_is_limited_to_1024_characters_after_entity_parsing(emulator, api):
    emulator.add_chat(1001)
    fits = "<b>" + "x" * 1024 + "</b>"
    assert await api.result(
        "sendPhoto", chat_id=1001, photo="https://e.org/a.jpg", caption=fits, parse_mode="HTML"
    )
    status, body = await api.call(
        "sendPhoto", chat_id=1001, photo="https://e.org/a.jpg", caption="x" * 1025
    )
    assert (status, body["description"]) == (400, "Bad Request: message caption is too long")


@pytest.mark.parametrize(
    ("photo", "description"),
    [
        (None, "there is no photo in the request"),
        ("not-a-file-id", "wrong file identifier/HTTP URL specified"),
        ("http://localhost/a.jpg", "wrong HTTP URL specified"),
    ],
)
async def test_a_photo_must_be_a_url_or_a_known_file_id(emulator, api, photo, description):
    emulator.add_chat(1001)
    params = {"chat_id": 1001} if photo is None else {"chat_id": 1001, "photo": photo}
    status, body = await api.call("sendPhoto", **params)
    assert (status, body["description"]) == (400, f"Bad Request: {description}")


async def test_a_photo_message_has_no_text_to_edit(emulator, api):
    emulator.add_chat(1001)
    message = await api.result("sendPhoto", chat_id=1001, photo="https://e.org/a.jpg")
    status, body = await api.call(
        "editMessageText", chat_id=1001, message_id=message["message_id"], text="new"
    )
    assert (status, body["description"]) == (
        400,
        "Bad Request: there is no text in the message to edit",
    )


async def test_link_preview_options_are_recorded_and_checked(emulator, api):
    emulator.add_chat(1001)
    options = {"url": "https://example.org/story", "prefer_large_media": True}
    message = await api.result(
        "sendMessage", chat_id=1001, text="story", link_preview_options=options
    )
    assert message["link_preview_options"] == options
    assert emulator.sent_messages(1001)[0].link_preview_options == options
    status, body = await api.call(
        "sendMessage",
        chat_id=1001,
        text="story",
        link_preview_options={"prefer_large_media": "yes"},
    )
    assert (status, body["description"]) == (
        400,
        "Bad Request: can't parse link preview options JSON object",
    )
