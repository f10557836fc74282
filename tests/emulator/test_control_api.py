"""The HTTP control API: a user's side of the chat for other processes."""

import asyncio

import httpx
import pytest


@pytest.fixture
async def control(emulator):
    async with httpx.AsyncClient(base_url=f"{emulator.url}/_emulator/", timeout=10) as client:
        yield client


async def test_send_press_and_read_over_http(emulator, api, control):
    response = await control.post(
        "send", json={"chat_id": 1001, "text": "/start", "username": "alice"}
    )
    assert response.json()["result"]["text"] == "/start"
    [update] = await api.result("getUpdates")
    assert update["message"]["from"]["username"] == "alice"

    waiting = asyncio.create_task(control.get("sent", params={"chat_id": 1001, "timeout": 5}))
    keyboard = {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]}
    sent = await api.result(
        "sendMessage", chat_id=1001, text="<b>Hi</b>", parse_mode="HTML", reply_markup=keyboard
    )
    result = (await asyncio.wait_for(waiting, 5)).json()["result"]
    assert result["next"] == 1
    [message] = result["messages"]
    assert (message["text"], message["html"]) == ("Hi", "<b>Hi</b>")
    assert message["reply_markup"] == [[{"text": "Yes", "callback_data": "yes", "url": None}]]

    pressed = await control.post(
        "press", json={"chat_id": 1001, "message_id": sent["message_id"], "data": "yes"}
    )
    query_id = pressed.json()["result"]["callback_query_id"]
    await api.result("answerCallbackQuery", callback_query_id=query_id, text="OK")
    answer = await control.get("callback_answer", params={"callback_query_id": query_id})
    assert answer.json()["result"]["text"] == "OK"


async def test_stats_info_and_commands(emulator, api, control):
    await api.result("setMyCommands", commands=[{"command": "help", "description": "Help"}])
    assert (await control.get("commands")).json()["result"] == [
        {"command": "help", "description": "Help"}
    ]
    stats = (await control.get("stats")).json()["result"]
    assert stats["requests"] == {"setMyCommands": 1}
    info = (await control.get("")).json()["result"]
    assert info["base_url"] == emulator.base_url
    assert "token" not in str(info).lower()


async def test_block_and_faults_over_http(emulator, api, control):
    await control.post("chats", json={"chat_id": 1001})
    await control.post("block", json={"chat_id": 1001})
    assert (await api.call("sendMessage", chat_id=1001, text="x"))[0] == 403
    await control.post("unblock", json={"chat_id": 1001})
    await control.post("faults", json={"fault": "fail_next", "n": 1, "status": 502})
    assert (
        await api.http.post("sendMessage", json={"chat_id": 1001, "text": "x"})
    ).status_code == 502


async def test_bad_control_requests_are_400_with_a_reason(control):
    response = await control.post("send", json={"text": "no chat"})
    assert response.status_code == 400
    assert response.json() == {"ok": False, "description": "missing field 'chat_id'"}
    response = await control.post("faults", json={"fault": "meteor"})
    assert response.status_code == 400


async def test_inline_queries_and_channel_membership_over_http(emulator, api, control):
    response = await control.post("inline", json={"user_id": 1001, "query": "ukraine"})
    query_id = response.json()["result"]["inline_query_id"]
    result = {
        "type": "article",
        "id": "a1",
        "title": "Kyiv",
        "input_message_content": {"message_text": "Kyiv card"},
    }
    await api.result("answerInlineQuery", inline_query_id=query_id, results=[result])
    answer = await control.get("inline_answer", params={"inline_query_id": query_id})
    assert [r["id"] for r in answer.json()["result"]["results"]] == ["a1"]
    chosen = await control.post(
        "choose", json={"inline_query_id": query_id, "result_id": "a1", "chat_id": 1001}
    )
    assert (chosen.json()["result"]["text"], chosen.json()["result"]["via_bot"]) == (
        "Kyiv card",
        True,
    )

    await control.post("chats", json={"chat_id": -100555, "chat_type": "channel"})
    await control.post("bot_status", json={"chat_id": -100555, "status": "left"})
    status, _ = await api.call("sendMessage", chat_id=-100555, text="hi")
    assert status == 403
