"""Text without secrets: feed addresses with userinfo and query masked, and log lines or
terminal output without the bot token or the webhook secret."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

__all__ = ["hide_secret", "mask_url", "redact"]

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
# python-telegram-bot logs setWebhook's parameters at DEBUG: {'secret_token': '...'}.
_SECRET_FIELD = re.compile(r"""(secret[_-]token['"]?\s*[:=]\s*['"]?)[A-Za-z0-9_-]+""", re.I)
# Shorter values would mask ordinary words; real tokens and secrets are far longer.
_MIN_SECRET_LENGTH = 8
_secrets: set[str] = set()


def hide_secret(secret: str | None) -> None:
    """Have ``redact`` mask ``secret`` from now on (the bot token, the webhook secret)."""
    if secret and len(secret.strip()) >= _MIN_SECRET_LENGTH:
        _secrets.add(secret.strip())


def redact(text: str) -> str:
    """``text`` with the hidden secrets, secret_token values and token-shaped strings masked."""
    # Longest first, so a secret containing another is masked whole.
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, "<secret>")
    text = _SECRET_FIELD.sub(r"\1<secret>", text)
    return _TOKEN.sub("<token>", text)


def mask_url(url: str) -> str:
    """``url`` with any user:password and the query string and fragment replaced by ``***``.

    Private feeds often carry a token there (``?key=...``, ``https://user:pass@host``); the
    host and path are enough for an operator to tell feeds apart.
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(unreadable address)"
    if not parts.scheme or not host:
        return "(unreadable address)"
    netloc = host if port is None else f"{host}:{port}"
    if parts.username is not None or parts.password is not None:
        netloc = f"***@{netloc}"
    query = "***" if parts.query else ""
    fragment = "***" if parts.fragment else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))
