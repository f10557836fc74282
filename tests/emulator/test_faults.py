"""Injected faults: 5xx, dropped connections, slow answers, 429 storms, 403 for a share of chats."""

import asyncio

import httpx
import pytest

from emulator import BotApiEmulator, Faults


async def test_fail_next_answers_500_then_recovers(emulator, api):
    emulator.add_chat(1001)
    emulator.faults.fail_next(1, status=500)
    status, body = await api.call("sendMessage", chat_id=1001, text="x")
    assert (status, body["error_code"]) == (500, 500)
    assert emulator.sent_messages(1001) == []
    assert (await api.call("sendMessage", chat_id=1001, text="x"))[0] == 200
    assert emulator.stats.server_errors_injected == 1


async def test_a_502_is_an_html_page_like_telegrams_front_end(emulator, api):
    emulator.faults.fail_next(1, status=502)
    response = await api.http.post("getMe")
    assert response.status_code == 502
    assert "Bad Gateway" in response.text


async def test_faults_skip_get_updates_unless_asked(emulator, api):
    emulator.add_chat(1001)
    emulator.faults.fail_next(1)
    assert await api.result("getUpdates") == []
    assert (await api.call("sendMessage", chat_id=1001, text="x"))[0] == 500
    emulator.faults.fail_next(1, methods={"getUpdates"})
    assert (await api.call("getUpdates"))[0] == 500


async def test_a_dropped_connection_loses_the_request(emulator, api):
    emulator.add_chat(1001)
    emulator.faults.drop_next(1)
    with pytest.raises(httpx.RemoteProtocolError):
        await api.call("sendMessage", chat_id=1001, text="lost")
    assert emulator.sent_messages(1001) == []
    assert emulator.stats.connections_dropped == 1


async def test_a_drop_after_processing_delivers_but_loses_the_answer(emulator, api):
    emulator.add_chat(1001)
    emulator.faults.drop_next(1, after_processing=True)
    with pytest.raises(httpx.RemoteProtocolError):
        await api.call("sendMessage", chat_id=1001, text="delivered")
    assert [m.text for m in emulator.sent_messages(1001)] == ["delivered"]


async def test_a_slow_answer_outlasts_a_client_timeout(emulator, api):
    emulator.add_chat(1001)
    emulator.faults.delay_next(1, seconds=0.5)
    with pytest.raises(httpx.ReadTimeout):
        await api.http.post("getMe", timeout=0.05)
    assert emulator.stats.requests_delayed == 1


async def test_a_rate_limit_storm_answers_429_until_it_passes(emulator, api):
    emulator.add_chat(1001)
    emulator.faults.rate_limit_storm(seconds=60, retry_after=7)
    status, body = await api.call("sendMessage", chat_id=1001, text="x")
    assert (status, body["parameters"]) == (429, {"retry_after": 7})
    assert body["description"] == "Too Many Requests: retry after 7"
    emulator.faults.clear()
    assert (await api.call("sendMessage", chat_id=1001, text="x"))[0] == 200
    assert emulator.stats.rate_limited == 1


async def test_forbidden_share_is_deterministic_for_a_seed(emulator, api):
    chats = range(1, 201)
    for chat_id in chats:
        emulator.add_chat(chat_id)
    emulator.faults.forbidden_share(0.25, seed=3)
    refused = set()
    for chat_id in chats:
        status, _ = await api.call("sendChatAction", chat_id=chat_id, action="typing")
        if status == 403:
            refused.add(chat_id)
    assert 30 <= len(refused) <= 70
    again = Faults()
    again.forbidden_share(0.25, seed=3)
    assert {chat_id for chat_id in chats if again.is_forbidden(chat_id)} == refused


async def test_a_delay_holds_only_the_delayed_request(emulator: BotApiEmulator, api):
    emulator.faults.delay_next(1, seconds=30, methods={"getChat"})
    emulator.add_chat(1001)
    slow = asyncio.create_task(api.call("getChat", chat_id=1001))
    assert (await api.result("getMe"))["is_bot"] is True
    assert not slow.done()
    slow.cancel()


def test_a_fail_share_hits_the_same_requests_for_the_same_seed():
    def run(seed: int) -> list[bool]:
        faults = Faults()
        faults.fail_share(0.3, status=502, seed=seed, methods={"sendMessage"})
        return [bool(faults.take("sendmessage")) for _ in range(200)]

    first = run(seed=11)
    assert first == run(seed=11)
    assert first != run(seed=12)
    assert 40 <= sum(first) <= 80


def test_a_share_ignores_other_methods_and_combines_with_a_delay():
    faults = Faults()
    faults.drop_share(1.0, methods={"sendMessage"})
    faults.delay_share(1.0, seconds=0.5)
    assert [a.kind for a in faults.take("getme")] == ["delay"]
    assert [a.kind for a in faults.take("sendmessage")] == ["delay", "drop"]


async def test_a_drop_share_over_http(emulator, api):
    emulator.add_chat(1001)
    await api.result("getMe")
    emulator.faults.drop_share(1.0, methods={"getMe"})
    with pytest.raises(httpx.RemoteProtocolError):
        await api.call("getMe")
    assert (await api.call("sendMessage", chat_id=1001, text="x"))[0] == 200
