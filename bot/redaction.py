"""Showing feed addresses without their secrets: userinfo and query strings masked."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

__all__ = ["mask_url"]


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
