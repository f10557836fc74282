"""Logging set-up, done once at the entry point."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TextIO

from bot.redaction import hide_secret, redact

__all__ = ["JsonFormatter", "RedactingFormatter", "configure_logging", "redact"]


class RedactingFormatter(logging.Formatter):
    """Readable one-line records with secrets masked, whichever library logged them.

    httpx logs full request URLs (the token is in the path); python-telegram-bot logs the
    parameters of setWebhook (the secret) at DEBUG.
    """

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(payload, ensure_ascii=False))


def configure_logging(
    environ: Mapping[str, str] | None = None, *, stream: TextIO | None = None
) -> None:
    """Configure the root logger from NEWSBOT_LOG_LEVEL and NEWSBOT_LOG_FORMAT (to stderr)."""
    env = os.environ if environ is None else environ
    hide_secret(env.get("TELEGRAM_BOT_TOKEN"))
    hide_secret(env.get("NEWSBOT_WEBHOOK_SECRET"))
    level = env.get("NEWSBOT_LOG_LEVEL", "WARNING").upper()
    handler = logging.StreamHandler(stream)
    if env.get("NEWSBOT_LOG_FORMAT", "text").lower() == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level if level in logging.getLevelNamesMapping() else "WARNING")
    # httpx logs every request URL at INFO, and a Bot API URL contains the token.
    logging.getLogger("httpx").setLevel(max(root.level, logging.WARNING))
