"""Running the bot until SIGINT or SIGTERM: long polling, or a webhook with a secret token."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from telegram.error import InvalidToken

from bot.app import ALLOWED_UPDATES, build_application
from bot.services import NewsApplication
from bot.settings import Settings

__all__ = ["StartupError", "WebhookOptions", "run_bot", "serving"]

_LOGGER = logging.getLogger(__name__)

# Long-poll length: Telegram holds getUpdates this long when idle. Stopping does not wait for it
# (PTB cancels the pending request), so it only trades idle requests for nothing.
_POLL_TIMEOUT_SECONDS = 30


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
    """Run until interrupted; raise StartupError when Telegram rejects the token."""
    application = build_application(settings)
    try:
        if webhook is None:
            _LOGGER.info("Starting long polling")
            application.run_polling(allowed_updates=ALLOWED_UPDATES, timeout=_POLL_TIMEOUT_SECONDS)
        else:
            if not webhook.url.startswith("https://"):
                raise StartupError("Telegram only delivers webhooks to https:// URLs.")
            _LOGGER.info("Serving a webhook on %s:%s", webhook.listen, webhook.port)
            application.run_webhook(
                listen=webhook.listen,
                port=webhook.port,
                url_path=webhook.url_path,
                webhook_url=webhook.url,
                secret_token=webhook.secret,
                allowed_updates=ALLOWED_UPDATES,
            )
    except InvalidToken as error:
        raise StartupError(
            "Telegram rejected TELEGRAM_BOT_TOKEN. Check it with @BotFather (/mybots → API Token)."
        ) from error


@asynccontextmanager
async def serving(
    application: NewsApplication, *, poll_timeout: float = _POLL_TIMEOUT_SECONDS
) -> AsyncIterator[NewsApplication]:
    """Run ``application`` by long polling inside an already running event loop.

    For tests and the demo, which own their loop: the same start-up (post_init included) and
    shut-down (post_shutdown included) as ``run_polling``, without its signal handling.
    """
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None  # built by ApplicationBuilder
        await application.updater.start_polling(
            poll_interval=0, timeout=int(poll_timeout), allowed_updates=ALLOWED_UPDATES
        )
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
