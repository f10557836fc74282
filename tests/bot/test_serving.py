"""serving(): the application's life cycle hooks run as under PTB's run_polling."""

from concurrent.futures import ThreadPoolExecutor

from bot.app import build_application
from bot.runner import serving
from bot.services import NewsApplication
from bot.settings import Settings


async def test_serving_runs_post_init_post_stop_and_post_shutdown_in_order(
    settings: Settings, summary_executor: ThreadPoolExecutor
):
    application = build_application(settings, summary_executor=summary_executor)
    calls: list[str] = []
    original_init, original_shutdown = application.post_init, application.post_shutdown
    assert original_init is not None and original_shutdown is not None

    async def post_init(app: NewsApplication) -> None:
        calls.append("post_init")
        await original_init(app)

    async def post_stop(app: NewsApplication) -> None:
        # As under run_polling: the application has stopped, its services are still open.
        assert not app.running
        app.bot_data.services.store  # noqa: B018 - raises once services are closed
        calls.append("post_stop")

    async def post_shutdown(app: NewsApplication) -> None:
        calls.append("post_shutdown")
        await original_shutdown(app)

    application.post_init = post_init
    application.post_stop = post_stop
    application.post_shutdown = post_shutdown
    async with serving(application, poll_timeout=1):
        calls.append("serving")
    assert calls == ["post_init", "serving", "post_stop", "post_shutdown"]
