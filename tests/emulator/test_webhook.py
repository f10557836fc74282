"""Webhook mode: updates POSTed in order with the secret token header, retried on failure."""

import asyncio

from aiohttp import web


class Receiver:
    """A webhook endpoint that records updates and answers with a chosen status."""

    def __init__(self) -> None:
        self.received: list[tuple[dict, str | None]] = []
        self.status = 200
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        update = await request.json()
        self.received.append((update, request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        self.arrived.set()
        return web.Response(status=self.status)


async def serve(receiver: Receiver) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/hook"


async def test_updates_are_posted_with_the_secret_token(emulator, api):
    receiver = Receiver()
    runner, url = await serve(receiver)
    try:
        assert await api.result("setWebhook", url=url, secret_token="s3cret")
        emulator.send_message(chat_id=1001, text="first")
        emulator.send_message(chat_id=1001, text="second")
        await emulator.wait_for_updates_consumed(timeout=5)
        assert [(u["message"]["text"], secret) for u, secret in receiver.received] == [
            ("first", "s3cret"),
            ("second", "s3cret"),
        ]
        status, body = await api.call("getUpdates")
        assert status == 409
        assert "webhook is active" in body["description"]
        info = await api.result("getWebhookInfo")
        assert (info["url"], info["pending_update_count"]) == (url, 0)
    finally:
        await runner.cleanup()


async def test_a_failing_webhook_is_retried_and_reported(emulator, api):
    receiver = Receiver()
    receiver.status = 500
    runner, url = await serve(receiver)
    try:
        await api.result("setWebhook", url=url)
        emulator.send_message(chat_id=1001, text="again")
        await emulator.wait_until(lambda: len(receiver.received) >= 2, timeout=5)
        info = await api.result("getWebhookInfo")
        assert info["pending_update_count"] == 1
        assert info["last_error_message"].startswith("Wrong response from the webhook: 500")
        receiver.status = 200
        await emulator.wait_for_updates_consumed(timeout=5)
        assert {u["message"]["text"] for u, _ in receiver.received} == {"again"}
    finally:
        await runner.cleanup()


async def test_delete_webhook_returns_to_polling(emulator, api):
    await api.result("setWebhook", url="http://127.0.0.1:9/unreachable")
    await api.result("deleteWebhook", drop_pending_updates=True)
    emulator.send_message(chat_id=1001, text="polled")
    [update] = await api.result("getUpdates")
    assert update["message"]["text"] == "polled"
