"""Running the bot until SIGINT or SIGTERM: long polling, or a webhook with a secret token."""

from __future__ import annotations

import asyncio
import gc
import logging
import secrets
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.api_request import NotBotApiError
from bot.app import ALLOWED_UPDATES, build_application
from bot.redaction import hide_secret
from bot.services import NewsApplication
from bot.settings import DEFAULT_API_BASE_URL, Settings
from storage import StorageError, Store

__all__ = ["StartupError", "WebhookOptions", "run_bot", "serving"]

_LOGGER = logging.getLogger(__name__)

# Long-poll length: Telegram holds getUpdates this long when idle. Stopping does not wait for it
# (PTB cancels the pending request), so it only trades idle requests for nothing.
_POLL_TIMEOUT_SECONDS = 30
# How often a thread holding the GIL hands it over (Python's default: 5 ms).
_SWITCH_INTERVAL_SECONDS = 0.001


class StartupError(Exception):
    """The bot could not start; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class WebhookOptions:
    """Serve Telegram's updates on ``listen:port`` for the public ``url``."""

    url: str
    # A webhook must be reachable from outside (usually through a reverse proxy).
    listen: str = "0.0.0.0"
    port: int = 8443
    # Telegram sends it in X-Telegram-Bot-Api-Secret-Token; requests without it are refused.
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)

    @property
    def url_path(self) -> str:
        """The local path, the same as the public URL's so a reverse proxy can pass it on."""
        return urlsplit(self.url).path.strip("/")


def run_bot(settings: Settings, *, webhook: WebhookOptions | None = None) -> None:
    """Run until SIGINT or SIGTERM; raise StartupError when the bot cannot start.

    The same ``serving()`` the tests use, under our own signal handling, so start-up failures
    surface as one clear error instead of PTB's retry-loop tracebacks.
    """
    # Telegram itself only posts to https; a local Bot API server may do otherwise.
    if (
        webhook is not None
        and settings.api_base_url == DEFAULT_API_BASE_URL
        and not webhook.url.startswith("https://")
    ):
        raise StartupError("Telegram only delivers webhooks to https:// URLs.")
    try:
        asyncio.run(_check_database(settings.database_path))
    except StorageError as error:
        raise StartupError(f"{error} (the bot needs a database it can write)") from error
    try:
        asyncio.run(_serve_until_signal(build_application(settings), webhook))
    except InvalidToken as error:
        raise StartupError(
            "Telegram rejected TELEGRAM_BOT_TOKEN. Check it with @BotFather (/mybots → API Token)."
        ) from error
    except NotBotApiError as error:
        raise StartupError(
            f"The server at {settings.api_base_url} is not a Telegram Bot API: it answered "
            f"{error}. Check TELEGRAM_API_BASE_URL (and any proxy in front of it), then "
            "TELEGRAM_BOT_TOKEN."
        ) from error
    except NetworkError as error:
        raise StartupError(
            f"Could not reach the Bot API at {settings.api_base_url} ({error}). "
            "Check the network or TELEGRAM_API_BASE_URL."
        ) from error


async def _check_database(path: Path) -> None:
    """Raise StorageError unless the database opens (created if missing) and takes writes."""
    # Checked before Telegram is contacted: a bot that starts on a read-only file answers its
    # first reader with an error instead of refusing to start.
    async with await Store.open(path) as store:
        await store.check_writable()


async def _serve_until_signal(application: NewsApplication, webhook: WebhookOptions | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    async with serving(application, webhook=webhook):
        # Everything made so far (imports, settings, open services) lives as long as the
        # process. Freezing it keeps full garbage collections from walking it again: they
        # stalled the event loop 150-360 ms at a time during digest runs (docs/digests.md).
        gc.collect()
        gc.freeze()
        # The loop shares the interpreter with SQLite reader threads, the summary thread and
        # rankings sent to threads. At the default 5 ms, a cheap reply's every database round
        # trip could wait that long for a ranking or summary to let go of the GIL; at 1 ms,
        # /help while a flooder's digest ranks 20 broad topics had its worst case go from
        # 194-267 ms to 33-104 ms (issue #17, `newsbot bench flood --case filters`).
        sys.setswitchinterval(_SWITCH_INTERVAL_SECONDS)
        _LOGGER.info(
            "Bot @%s running (%s)",
            application.bot.username,
            "webhook" if webhook else "long polling",
        )
        await stop.wait()
        _LOGGER.info("Stopping")


@asynccontextmanager
async def serving(
    application: NewsApplication,
    *,
    poll_timeout: float = _POLL_TIMEOUT_SECONDS,
    webhook: WebhookOptions | None = None,
) -> AsyncIterator[NewsApplication]:
    """Run ``application`` (long polling, or ``webhook``) inside an already running loop.

    For tests and the demo, which own their loop: the same start-up (post_init included) and
    shut-down (post_stop, then post_shutdown) as ``run_polling``, without its signal handling.
    """
    # Libraries log both at DEBUG (request URLs, setWebhook's parameters); the log formatter
    # and terminal output mask what is hidden here.
    hide_secret(application.bot.token)
    if webhook is not None:
        hide_secret(webhook.secret)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None  # built by ApplicationBuilder
        if webhook is None:
            # Added once however often this runs: it is the same filter object.
            logging.getLogger("telegram.ext.Updater").addFilter(_SHUTDOWN_CLEANUP_IN_ONE_LINE)
            await application.updater.start_polling(
                poll_interval=0,
                timeout=int(poll_timeout),
                allowed_updates=ALLOWED_UPDATES,
                error_callback=_log_polling_error,
            )
        else:
            await application.updater.start_webhook(
                listen=webhook.listen,
                port=webhook.port,
                url_path=webhook.url_path,
                webhook_url=webhook.url,
                secret_token=webhook.secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


class _ShutdownCleanupInOneLine(logging.Filter):
    """PTB's last getUpdates while stopping, failed, as one warning instead of a traceback.

    It only marks the last updates read, and it fails when the Bot API is already gone (the
    usual reason to restart): the stack says nothing an operator can act on.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and str(record.msg).startswith("Error while calling `get_updates`"):
            record.msg = (
                "Could not mark the last updates read while stopping (%s); Telegram may send"
                " them again at the next start, and they are answered once more."
            )
            record.args = (record.exc_info[1],)
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


_SHUTDOWN_CLEANUP_IN_ONE_LINE = _ShutdownCleanupInOneLine()


def _log_polling_error(error: TelegramError) -> None:
    """One line per failed getUpdates; PTB retries with a growing pause (up to 30 s)."""
    # PTB's own callback logs each failure with a traceback: an outage of the Bot API, or a
    # proxy's error page, would fill the log with the same stack every few seconds.
    hint = (
        " Check TELEGRAM_API_BASE_URL and any proxy in front of it."
        if isinstance(error, NotBotApiError)
        else ""
    )
    _LOGGER.warning("Could not get updates from the Bot API: %s; retrying.%s", error, hint)
