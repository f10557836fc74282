"""The Bot API over real HTTP: methods, parameters and Telegram's error answers."""

import asyncio
import json

import httpx

from emulator import BotApiEmulator


async def test_get_me_describes_the_bot(api):
    me = await api.result("getMe")
    assert me["id"] == 123456
    assert me["is_bot"] is True
    assert me["username"] == "newsbot_demo_bot"


async def test_a_wrong_token_is_unauthorized(emulator: BotApiEmulator):
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{emulator.base_url}123456:WRONG/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_an_unknown_method_is_not_found(api):
    assert await api.call("sendTelepathy", chat_id=1) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )


async def test_method_names_are_case_insensitive(api):
    assert (await api.result("GETME"))["username"] == "newsbot_demo_bot"


async def test_form_encoded_parameters_with_json_values_are_understood(emulator, api):
    emulator.add_chat(1001)
    keyboard = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    response = await api.http.post(
        "sendMessage",
        data={
            "chat_id": "1001",
            "text": "<b>Hi</b>",
            "parse_mode": "HTML",
            "reply_markup": json.dumps(keyboard),
        },
    )
    assert response.status_code == 200
    [sent] = emulator.sent_messages(1001)
    assert (sent.text, sent.buttons) == ("Hi", [("Go", "go")])


async def test_multipart_and_query_string_parameters_are_understood(emulator, api):
    emulator.add_chat(1001)
    response = await api.http.post(
        "sendMessage?chat_id=1001", files={"text": (None, "from multipart")}
    )
    assert response.status_code == 200, response.text
    assert emulator.sent_messages(1001)[0].text == "from multipart"


async def test_get_updates_returns_a_user_message_with_its_command_entity(emulator, api):
    emulator.send_message(
        chat_id=1001,
        text="/start@newsbot_demo_bot topic_climate",
        username="alice",
        first_name="Alice",
    )
    [update] = await api.result("getUpdates")
    message = update["message"]
    assert message["text"] == "/start@newsbot_demo_bot topic_climate"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 23}]
    assert message["from"]["username"] == "alice"
    assert message["chat"] == {
        "id": 1001,
        "type": "private",
        "first_name": "Alice",
        "username": "alice",
    }


async def test_long_polling_answers_as_soon_as_an_update_arrives(emulator, api):
    poll = asyncio.create_task(api.result("getUpdates", timeout=30))
    await emulator.wait_until(lambda: emulator.stats.requests["getUpdates"] == 1, timeout=5)
    assert not poll.done()
    emulator.send_message(chat_id=1001, text="hello")
    updates = await asyncio.wait_for(poll, timeout=5)
    assert [update["message"]["text"] for update in updates] == ["hello"]


async def test_long_polling_without_updates_returns_empty_after_the_timeout(api):
    assert await api.result("getUpdates", timeout=0.1) == []


async def test_updates_stay_until_confirmed_by_offset(emulator, api):
    emulator.send_message(chat_id=1001, text="one")
    emulator.send_message(chat_id=1001, text="two")
    first = await api.result("getUpdates", limit=1)
    again = await api.result("getUpdates")
    assert again[0]["update_id"] == first[0]["update_id"]
    rest = await api.result("getUpdates", offset=first[0]["update_id"] + 1)
    assert [u["message"]["text"] for u in rest] == ["two"]


async def test_a_newer_get_updates_ends_the_older_one_with_409(emulator, api):
    older = asyncio.create_task(api.call("getUpdates", timeout=30))
    await emulator.wait_until(lambda: emulator.stats.requests["getUpdates"] == 1, timeout=5)
    assert await api.result("getUpdates", timeout=0) == []
    status, body = await asyncio.wait_for(older, timeout=5)
    assert status == 409
    assert body["description"].startswith("Conflict: terminated by other getUpdates request")


async def test_send_message_returns_the_message_with_html_parsed(emulator, api):
    emulator.send_message(chat_id=1001, text="hi")
    message = await api.result(
        "sendMessage",
        chat_id=1001,
        text="<b>Bold</b> &amp; <a href='https://e.org'>link</a>",
        parse_mode="HTML",
        link_preview_options={"is_disabled": True},
    )
    assert message["text"] == "Bold & link"
    assert message["entities"] == [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "text_link", "offset": 7, "length": 4, "url": "https://e.org"},
    ]
    [sent] = emulator.sent_messages(1001)
    assert sent.html == "<b>Bold</b> &amp; <a href='https://e.org'>link</a>"
    assert sent.disable_web_page_preview is True
    assert sent.message_id == message["message_id"] == 2


async def test_sending_to_an_unknown_chat_is_a_bad_request(api):
    assert await api.call("sendMessage", chat_id=999, text="hi") == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
    )


async def test_an_empty_text_is_refused(emulator, api):
    emulator.add_chat(1001)
    for text in ("", "   ", "<b></b>"):
        status, body = await api.call("sendMessage", chat_id=1001, text=text, parse_mode="HTML")
        assert (status, body["description"]) == (400, "Bad Request: message text is empty")


async def test_the_length_limit_is_4096_utf16_units_after_parsing(emulator, api):
    emulator.add_chat(1001)
    fits = "<b>" + "x" * 4096 + "</b>"
    assert (await api.call("sendMessage", chat_id=1001, text=fits, parse_mode="HTML"))[0] == 200
    # An emoji outside the Basic Multilingual Plane counts twice, as in UTF-16.
    too_long = "😀" * 2049
    status, body = await api.call("sendMessage", chat_id=1001, text=too_long)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")


async def test_malformed_html_is_refused_with_telegrams_reason(emulator, api):
    emulator.add_chat(1001)
    status, body = await api.call("sendMessage", chat_id=1001, text="<b>bold", parse_mode="HTML")
    assert status == 400
    assert body["description"] == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )


async def test_callback_data_over_64_bytes_is_refused(emulator, api):
    emulator.add_chat(1001)
    for data in ("x" * 65, "é" * 33, ""):
        keyboard = {"inline_keyboard": [[{"text": "B", "callback_data": data}]]}
        status, body = await api.call("sendMessage", chat_id=1001, text="t", reply_markup=keyboard)
        assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")
    keyboard = {"inline_keyboard": [[{"text": "B", "callback_data": "x" * 64}]]}
    assert (await api.call("sendMessage", chat_id=1001, text="t", reply_markup=keyboard))[0] == 200


async def test_a_blocked_chat_answers_403_until_the_user_writes_again(emulator, api):
    emulator.send_message(chat_id=1001, text="/start")
    emulator.block_bot(1001)
    assert await api.call("sendMessage", chat_id=1001, text="hi") == (
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    )
    emulator.send_message(chat_id=1001, text="/start")
    assert (await api.call("sendMessage", chat_id=1001, text="hi"))[0] == 200
    kinds = [next(key for key in u if key != "update_id") for u in await api.result("getUpdates")]
    assert kinds == ["message", "my_chat_member", "my_chat_member", "message"]


async def test_edit_message_text_updates_the_message_and_records_the_edit(emulator, api):
    emulator.add_chat(1001)
    sent = await api.result("sendMessage", chat_id=1001, text="draft")
    [original] = await emulator.wait_for_messages(1001, count=1, timeout=5)
    edited = await api.result(
        "editMessageText",
        chat_id=1001,
        message_id=sent["message_id"],
        text="<i>final</i>",
        parse_mode="HTML",
    )
    assert edited["text"] == "final"
    assert "edit_date" in edited
    [edit] = await emulator.wait_for_messages(1001, count=1, timeout=5)
    assert (original.edited, edit.edited, edit.text) == (False, True, "final")
    assert emulator.sent_messages(1001) == [edit]


async def test_an_edit_without_changes_is_not_modified(emulator, api):
    emulator.add_chat(1001)
    sent = await api.result("sendMessage", chat_id=1001, text="same")
    status, body = await api.call(
        "editMessageText", chat_id=1001, message_id=sent["message_id"], text="same"
    )
    assert status == 400
    assert body["description"].startswith("Bad Request: message is not modified")


async def test_editing_a_missing_message_is_refused(emulator, api):
    emulator.add_chat(1001)
    status, body = await api.call("editMessageText", chat_id=1001, message_id=42, text="x")
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")


async def test_edit_reply_markup_and_delete(emulator, api):
    emulator.add_chat(1001)
    keyboard = {"inline_keyboard": [[{"text": "Site", "url": "https://example.org"}]]}
    sent = await api.result("sendMessage", chat_id=1001, text="t", reply_markup=keyboard)
    await api.result("editMessageReplyMarkup", chat_id=1001, message_id=sent["message_id"])
    assert emulator.sent_messages(1001)[0].buttons == []
    assert await api.result("deleteMessage", chat_id=1001, message_id=sent["message_id"]) is True
    assert emulator.sent_messages(1001) == []


async def test_a_button_press_reaches_the_bot_and_its_answer_the_user(emulator, api):
    emulator.add_chat(1001)
    keyboard = {"inline_keyboard": [[{"text": "More", "callback_data": "more:7"}]]}
    sent = await api.result("sendMessage", chat_id=1001, text="story", reply_markup=keyboard)
    query_id = emulator.press_button(chat_id=1001, message_id=sent["message_id"], data="more:7")
    [update] = await api.result("getUpdates")
    query = update["callback_query"]
    assert (query["id"], query["data"], query["message"]["text"]) == (query_id, "more:7", "story")
    assert await api.result("answerCallbackQuery", callback_query_id=query_id, text="Done")
    answer = await emulator.wait_for_callback_answer(query_id, timeout=5)
    assert (answer.text, answer.show_alert) == ("Done", False)
    status, body = await api.call("answerCallbackQuery", callback_query_id=query_id)
    assert status == 400
    assert "query ID is invalid" in body["description"]


async def test_set_my_commands_is_recorded(emulator, api):
    commands = [
        {"command": "start", "description": "Begin"},
        {"command": "help", "description": "How to use me"},
    ]
    assert await api.result("setMyCommands", commands=commands) is True
    assert emulator.commands == commands
    assert await api.result("getMyCommands") == commands
    status, body = await api.call(
        "setMyCommands", commands=[{"command": "Bad-Name", "description": "x"}]
    )
    assert (status, body["description"]) == (400, "Bad Request: BOT_COMMAND_INVALID")


async def test_group_admins_and_members(emulator, api):
    emulator.send_message(chat_id=-100200, text="hello", user_id=7, chat_type="supergroup")
    emulator.set_chat_admins(-100200, [8, 7])
    admins = await api.result("getChatAdministrators", chat_id=-100200)
    assert [(a["status"], a["user"]["id"]) for a in admins] == [
        ("creator", 8),
        ("administrator", 7),
    ]
    assert (await api.result("getChatMember", chat_id=-100200, user_id=7))["status"] == (
        "administrator"
    )
    chat = await api.result("getChat", chat_id=-100200)
    assert (chat["type"], chat["title"]) == ("supergroup", "Chat -100200")


async def test_wait_for_messages_times_out_with_what_arrived(emulator):
    emulator.add_chat(1001)
    try:
        await emulator.wait_for_messages(1001, count=1, timeout=0.05)
    except TimeoutError as error:
        assert "chat 1001" in str(error)
    else:
        raise AssertionError("expected a TimeoutError")


async def test_stats_record_peak_rates_and_refusals(emulator, api):
    for chat_id in (1, 2):
        emulator.add_chat(chat_id)
    for _ in range(4):
        await api.call("sendMessage", chat_id=1, text="x")
    await api.call("sendMessage", chat_id=2, text="x")
    stats = emulator.stats
    assert (stats.messages_delivered, stats.rate_limited) == (4, 1)
    assert (stats.peak_messages_per_second, stats.peak_chat_messages_per_second) == (4, 3)
    assert stats.requests["sendMessage"] == 5


async def test_a_stopped_emulator_starts_again_with_its_chats():
    emu = BotApiEmulator()
    await emu.start()
    emu.send_message(chat_id=1001, text="before")
    port = int(emu.url.rsplit(":", 1)[1])
    await emu.stop()
    await emu.start(port=port)
    try:
        async with httpx.AsyncClient(base_url=f"{emu.base_url}{emu.token}/") as client:
            response = await client.post("getUpdates", json={"timeout": 5})
        assert [u["message"]["text"] for u in response.json()["result"]] == ["before"]
    finally:
        await emu.stop()
