"""Operational problems reported to the operators' chat (``NEWSBOT_ADMIN_CHAT_ID``).

Four kinds: a feed failing for a day, repeated send failures, unhandled errors, and a start
after an unclean stop (a crash or a kill). Errors and send failures are taken from the log
records our modules already write (like an error tracker's logging integration), so no code
path needs to know about reports; failing feeds are looked up in storage every minute, and an
unclean stop is the ``<database>.running`` marker still there at start. Each kind is sent at
most once an hour; what was held back is counted in the next report. Reports never carry the
bot token, and addresses in them are masked (no query strings or userinfo, where private feeds
keep their keys). Readers never see them: they go to the operators' chat only.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram.error import TelegramError

from bot.formatting import escape
from bot.redaction import mask_url
from bot.services import NewsApplication, NewsContext
from bot.settings import Settings

__all__ = [
    "AdminReporter",
    "ReportKind",
    "start_admin_reports",
    "stop_admin_reports",
]

_LOGGER = logging.getLogger(__name__)

_JOB_NAME = "admin-reports"
CHECK_INTERVAL = timedelta(minutes=1)
REPORT_INTERVAL = timedelta(hours=1)
FEED_FAILING_FOR = timedelta(days=1)
# Send failures within an hour before they count as "repeated".
SEND_FAILURES_TO_REPORT = 3
_MAX_DETAIL = 300

_URL = re.compile(r"https?://[^\s'\"<>]+")
_TOKEN = re.compile(r"(?<![0-9])\d{5,}:[A-Za-z0-9_-]{20,}")
# Loggers whose warnings are failed sends (digests, notices, replies given up after retries).
_SEND_LOGGERS = ("bot.digests.delivery", "bot.replies", "bot.ratelimit")
_OUR_LOGGERS = ("bot", "feeds", "storage", "summaries", "telegram.ext")


class ReportKind:
    """The kinds of report; each is rate-limited on its own."""

    FEED = "feed"
    SEND = "send"
    ERROR = "error"
    RESTART = "restart"


def redact(text: str, *, secrets: tuple[str, ...] = ()) -> str:
    """``text`` without secrets or bot tokens, with addresses masked, at most 300 characters."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _TOKEN.sub("***", text)
    text = _URL.sub(lambda match: mask_url(match.group(0)), text)
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


@dataclass
class _Pending:
    """Problems of one kind seen since the last report of that kind."""

    count: int = 0
    last: str = ""


class _RecordCollector(logging.Handler):
    """Keeps error and failed-send log records for the next check (any thread may log)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self._lock = threading.Lock()
        self.records: deque[tuple[str, str]] = deque(maxlen=1000)

    def emit(self, record: logging.LogRecord) -> None:
        name = record.name
        if name == __name__ or not name.startswith(_OUR_LOGGERS):
            return
        if name.startswith(_SEND_LOGGERS):
            kind = ReportKind.SEND
        elif record.levelno >= logging.ERROR:
            kind = ReportKind.ERROR
        else:
            return
        try:
            detail = record.getMessage()
        except (TypeError, ValueError):
            detail = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            detail = f"{detail}: {type(error).__name__}: {error}"
        with self._lock:
            self.records.append((kind, detail))

    def drain(self) -> list[tuple[str, str]]:
        """The records kept so far, oldest first; forgets them."""
        with self._lock:
            records = list(self.records)
            self.records.clear()
        return records


class AdminReporter:
    """Collects operational problems and sends rate-limited reports to the operators' chat."""

    def __init__(
        self,
        send: Callable[[str], Awaitable[object]],
        *,
        secrets: tuple[str, ...] = (),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._send = send
        self._secrets = secrets
        self._clock = clock
        self._last_sent: dict[str, datetime] = {}
        self._pending: dict[str, _Pending] = {}
        self._send_failures: deque[datetime] = deque(maxlen=1000)
        self._reported_feeds: dict[int, datetime] = {}
        self.collector = _RecordCollector()

    def note(self, kind: str, detail: str) -> None:
        """Remember a problem of ``kind`` for the next report."""
        pending = self._pending.setdefault(kind, _Pending())
        pending.count += 1
        pending.last = redact(detail, secrets=self._secrets)

    def take_log_records(self) -> None:
        """Move collected log records into pending problems."""
        # Stamped when taken (every minute), which is close enough for an hourly window.
        now = self._clock()
        for kind, detail in self.collector.drain():
            if kind == ReportKind.SEND:
                self._send_failures.append(now)
                self._pending.setdefault(kind, _Pending()).last = redact(
                    detail, secrets=self._secrets
                )
            else:
                self.note(kind, detail)

    def due_reports(self) -> list[str]:
        """The reports to send now (their kinds then wait an hour), as Telegram HTML."""
        now = self._clock()
        while self._send_failures and now - self._send_failures[0] > REPORT_INTERVAL:
            self._send_failures.popleft()
        send = self._pending.get(ReportKind.SEND)
        if send is not None:
            send.count = len(self._send_failures)
            if send.count < SEND_FAILURES_TO_REPORT:
                if not send.count:
                    del self._pending[ReportKind.SEND]
                send = None
        reports = []
        for kind, pending in list(self._pending.items()):
            if kind == ReportKind.SEND and send is None:
                continue
            last = self._last_sent.get(kind)
            if last is not None and now - last < REPORT_INTERVAL:
                continue
            reports.append(_report_text(kind, pending))
            self._last_sent[kind] = now
            del self._pending[kind]
            if kind == ReportKind.SEND:
                self._send_failures.clear()
        return reports

    def note_failing_feeds(self, feeds: list[tuple[int, str | None, int, str | None]]) -> None:
        """Note feeds failing for a day: (id, title, failures, last error); each once a day."""
        now = self._clock()
        for feed_id, title, failures, error in feeds:
            reported = self._reported_feeds.get(feed_id)
            if reported is not None and now - reported < FEED_FAILING_FOR:
                continue
            self._reported_feeds[feed_id] = now
            name = title or "untitled"
            self.note(
                ReportKind.FEED,
                f"feed {feed_id} ({name}) has failed {failures} times in a row for over a day;"
                f" last error: {error or 'unknown'}",
            )

    async def send_due(self) -> None:
        """Send the reports that are due; a failure to send is logged, never raised."""
        for text in self.due_reports():
            try:
                await self._send(text)
            except TelegramError as error:
                _LOGGER.warning("Could not send an operator report: %s", error)


def _report_text(kind: str, pending: _Pending) -> str:
    titles = {
        ReportKind.FEED: "Feed failing",
        ReportKind.SEND: "Repeated send failures",
        ReportKind.ERROR: "Unexpected error",
        ReportKind.RESTART: "Restarted after an unclean stop",
    }
    heading = f"⚠️ <b>newsbot: {escape(titles.get(kind, kind))}</b>"
    if kind == ReportKind.SEND:
        count = f"{pending.count} messages could not be delivered in the last hour."
    elif pending.count > 1:
        count = f"{pending.count} times since the last report; the latest:"
    else:
        count = ""
    return "\n".join(part for part in (heading, count, escape(pending.last)) if part)


def _marker(settings: Settings) -> Path:
    # Present while the bot runs: found at start, it means the last run never stopped cleanly.
    path = settings.database_path
    return path.with_name(path.name + ".running")


async def _check(context: NewsContext) -> None:
    """The periodic job: take log records, look for failing feeds, send what is due."""
    job = context.job
    if job is None or not isinstance(job.data, AdminReporter):
        return
    reporter = job.data
    reporter.take_log_records()
    before = datetime.now(UTC) - FEED_FAILING_FOR
    failing = await context.services.store.feeds.failing(before)
    reporter.note_failing_feeds(
        [(feed.id, feed.title, feed.failures, feed.last_error) for feed in failing]
    )
    await reporter.send_due()


async def start_admin_reports(application: NewsApplication) -> None:
    """Call from post_init: watch for problems when NEWSBOT_ADMIN_CHAT_ID is set."""
    services = application.bot_data.services
    chat_id = services.settings.admin_chat_id
    marker = _marker(services.settings)
    unclean = marker.exists()
    try:
        marker.touch()
    except OSError as error:
        # A read-only directory costs only the crash report, never the start.
        _LOGGER.warning("Cannot write %s, so a crash will not be reported: %s", marker, error)
    if chat_id is None or application.job_queue is None:
        return

    async def send(text: str) -> None:
        await application.bot.send_message(chat_id, text)

    reporter = AdminReporter(send, secrets=(services.settings.token,))
    logging.getLogger().addHandler(reporter.collector)
    if unclean:
        reporter.note(
            ReportKind.RESTART,
            "The previous run did not shut down cleanly (a crash, a kill or a power cut); "
            "check the logs from before this start.",
        )
    application.job_queue.run_repeating(
        _check, interval=CHECK_INTERVAL, first=0.5, name=_JOB_NAME, data=reporter
    )


async def stop_admin_reports(application: NewsApplication, settings: Settings) -> None:
    """Call from post_shutdown: stop collecting and mark the stop as clean."""
    if application.job_queue is not None:
        for job in application.job_queue.get_jobs_by_name(_JOB_NAME):
            if isinstance(job.data, AdminReporter):
                logging.getLogger().removeHandler(job.data.collector)
            job.schedule_removal()
    _marker(settings).unlink(missing_ok=True)
