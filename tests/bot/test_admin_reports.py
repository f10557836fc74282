"""Operator reports: rate-limited, without secrets, only in NEWSBOT_ADMIN_CHAT_ID."""

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web

from bot.admin_reports import AdminReporter, ReportKind, redact
from bot.app import build_application
from bot.ratelimit import NewsRateLimiter
from bot.runner import serving
from bot.settings import Settings, SettingsError
from emulator.server import DEFAULT_TOKEN
from tests.bot.conftest import Conversation
from tests.raw_sql import connections

ADMIN_CHAT = -100_777


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sent() -> list[str]:
    return []


@pytest.fixture
def reporter(clock: Clock, sent: list[str]) -> AdminReporter:
    async def send(text: str) -> None:
        sent.append(text)

    return AdminReporter(send, secrets=("123:SECRET",), clock=clock)


# unit: redaction and rate limits


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "GET https://u:pw@feeds.example/rss?key=abc failed",
            "GET https://***@feeds.example/rss?*** failed",
        ),
        ("token 123:SECRET leaked", "token *** leaked"),
        (
            "https://api.telegram.org/bot4839574812:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/send",
            "https://api.telegram.org/bot***/send",
        ),
        ("x" * 400, "x" * 299 + "…"),
    ],
)
def test_redaction_masks_secrets_and_private_addresses(text: str, shown: str) -> None:
    assert redact(text, secrets=("123:SECRET",)) == shown


async def test_each_kind_is_reported_at_most_once_an_hour(
    reporter: AdminReporter, clock: Clock, sent: list[str]
) -> None:
    reporter.note(ReportKind.ERROR, "first")
    await reporter.send_due()
    reporter.note(ReportKind.ERROR, "second")
    reporter.note(ReportKind.ERROR, "third")
    reporter.note(ReportKind.RESTART, "restarted")
    await reporter.send_due()
    assert len(sent) == 2 and "first" in sent[0] and "Restarted" in sent[1]
    clock.now += timedelta(minutes=61)
    await reporter.send_due()
    assert "2 times since the last report" in sent[2] and "third" in sent[2]
    await reporter.send_due()
    assert len(sent) == 3


async def test_send_failures_are_reported_only_when_repeated(
    reporter: AdminReporter, clock: Clock, sent: list[str]
) -> None:
    delivery = logging.getLogger("bot.digests.delivery")
    delivery.addHandler(reporter.collector)
    try:
        delivery.warning("Telegram refused a digest message to chat %s: %s", 5, "bad")
        delivery.warning("Telegram refused a digest message to chat %s: %s", 6, "bad")
        reporter.take_log_records()
        await reporter.send_due()
        assert sent == []
        clock.now += timedelta(minutes=90)  # the first two are too old to count
        for chat_id in (7, 8, 9):
            delivery.warning("Telegram refused a digest message to chat %s: %s", chat_id, "bad")
        reporter.take_log_records()
        await reporter.send_due()
    finally:
        delivery.removeHandler(reporter.collector)
    [report] = sent
    assert "3 messages could not be delivered in the last hour" in report
    assert "chat 9" in report


async def test_a_failing_feed_is_reported_once_a_day(
    reporter: AdminReporter, clock: Clock, sent: list[str]
) -> None:
    failing = [(3, "Private wire", 9, "HTTP 500 from https://wire.example/rss?token=abc")]
    reporter.note_failing_feeds(failing)
    await reporter.send_due()
    clock.now += timedelta(hours=2)
    reporter.note_failing_feeds(failing)
    await reporter.send_due()
    [report] = sent
    assert "feed 3 (Private wire) has failed 9 times" in report
    assert "token" not in report and "https://wire.example/rss?***" in report


def test_the_admin_chat_comes_from_the_environment() -> None:
    env = {"TELEGRAM_BOT_TOKEN": "123:abc", "NEWSBOT_ADMIN_CHAT_ID": "-1001234"}
    assert Settings.from_env(env).admin_chat_id == -1001234
    assert Settings.from_env({"TELEGRAM_BOT_TOKEN": "123:abc"}).admin_chat_id is None
    with pytest.raises(SettingsError, match="NEWSBOT_ADMIN_CHAT_ID"):
        Settings.from_env({**env, "NEWSBOT_ADMIN_CHAT_ID": "@ops"})


# end to end: the bot, the emulator and a real feed server


@pytest.fixture
def reporting(emu, settings: Settings) -> Settings:
    emu.add_chat(ADMIN_CHAT, "supergroup", title="ops")
    return replace(settings, admin_chat_id=ADMIN_CHAT, fetch_allow_hosts=frozenset({"127.0.0.1"}))


async def _run_check(application) -> None:
    [job] = application.job_queue.get_jobs_by_name("admin-reports")
    await job.run(application)


async def test_a_start_after_an_unclean_stop_is_reported(emu, reporting, summary_executor, pages):
    marker = reporting.database_path.with_name(reporting.database_path.name + ".running")
    async with serving(build_application(reporting, summary_executor=summary_executor)) as app:
        assert marker.exists()
        await _run_check(app)
    assert not marker.exists()  # a clean stop: nothing to report
    assert emu.sent_messages(ADMIN_CHAT) == []
    marker.touch()  # as a crash leaves it
    async with serving(build_application(reporting, summary_executor=summary_executor)) as app:
        await _run_check(app)
        [report] = await emu.wait_for_messages(ADMIN_CHAT, timeout=10)
    assert "Restarted after an unclean stop" in report.text


async def test_an_unhandled_error_reaches_the_operators_not_the_reader(
    emu, reporting, summary_executor, pages, new_chat_id
):
    async def broken(url: str) -> object:
        raise RuntimeError(f"parser blew up on {url} with {DEFAULT_TOKEN}")

    pages.fetch = broken  # type: ignore[method-assign]
    application = build_application(reporting, summary_executor=summary_executor, fetcher=pages)
    reader = Conversation(emu, new_chat_id)
    async with serving(application):
        apology = await reader.ask("/summary https://news.example/story?session=s3cr3t")
        await _run_check(application)
        report_messages = await emu.wait_for_messages(ADMIN_CHAT, timeout=10)
    assert apology.text.startswith("Sorry, something went wrong")
    [report] = report_messages
    assert "Unexpected error" in report.text and "RuntimeError: parser blew up" in report.text
    assert DEFAULT_TOKEN not in report.text and "s3cr3t" not in report.text
    assert "https://news.example/story?***" in report.text


async def test_a_feed_failing_for_a_day_is_reported_by_id_and_title(
    emu, reporting, summary_executor, pages
):
    async def failing(request: web.Request) -> web.Response:
        return web.Response(status=500)

    app = web.Application()
    app.router.add_get("/rss", failing)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/rss?apikey=PRIVATE"
    try:
        application = build_application(reporting, summary_executor=summary_executor, fetcher=pages)
        async with serving(application):
            store = application.bot_data.services.store
            feed, _ = await store.feeds.add(url, title="Partner wire")
            [poll] = application.job_queue.get_jobs_by_name("feeds")
            await poll.run(application)
            async with connections(store).write() as connection:
                # A day passes without a successful poll.
                await connection.execute(
                    "UPDATE feeds SET failing_since = failing_since - 90000 WHERE id = ?",
                    (feed.id,),
                )
            await _run_check(application)
            [report] = await emu.wait_for_messages(ADMIN_CHAT, timeout=10)
    finally:
        await runner.cleanup()
    assert f"feed {feed.id} (Partner wire) has failed 1 times" in report.text
    assert "PRIVATE" not in report.text and "HTTP 500" in report.text


async def test_repeated_send_failures_are_reported_once(emu, reporting, summary_executor, pages):
    application = build_application(
        reporting,
        summary_executor=summary_executor,
        fetcher=pages,
        rate_limiter=NewsRateLimiter(backoff_seconds=0.01),
    )
    async with serving(application):
        # Only the test runs the check: a scheduled one sending its report between two rounds
        # would take the next round's injected failures (it did on a busy machine).
        [job] = application.job_queue.get_jobs_by_name("admin-reports")
        job.enabled = False
        for chat_id in (4101, 4102, 4103):
            emu.faults.fail_next(4, status=502, methods=["sendMessage"])
            apology = await Conversation(emu, chat_id).ask("/help")  # the reply is given up
            assert apology.text.startswith("Sorry")
        await _run_check(application)
        reports = await emu.wait_for_messages(ADMIN_CHAT, count=2, timeout=10)
        await _run_check(application)
    texts = "\n".join(report.text for report in reports)
    assert "Repeated send failures" in texts
    assert "3 messages could not be delivered in the last hour" in texts
    assert "Giving up on sendMessage after 4 attempts" in texts
    assert "Unexpected error" in texts  # the handlers that could not reply
    assert emu.sent_messages(ADMIN_CHAT) == reports  # nothing more within the hour
