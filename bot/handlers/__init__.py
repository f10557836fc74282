"""Handlers, one module per command group; :func:`register_all` adds them in order."""

from __future__ import annotations

from bot import access, flood_guard
from bot.handlers import (
    admin,
    buttons,
    channels,
    chats,
    digests,
    filters,
    inline,
    live,
    news,
    preferences,
    previews,
    sources,
    start,
    subscriptions,
    summaries,
)
from bot.handlers.errors import on_error
from bot.services import NewsApplication

__all__ = ["register_all"]


def register_all(application: NewsApplication) -> None:
    """Add every handler and the error handler to ``application``."""
    # First, in a group of its own: a flooding user's messages never reach the others.
    flood_guard.register(application)
    # Next: a stranger (NEWSBOT_ACCESS) is refused before anything is stored about them.
    access.register(application)
    # Then: does this private chat's command act on a channel it manages (/channel)?
    channels.register(application)
    chats.register(application)
    start.register(application)
    subscriptions.register(application)
    summaries.register(application)
    news.register(application)
    digests.register(application)
    preferences.register(application)
    filters.register(application)
    sources.register(application)
    admin.register(application)
    inline.register(application)
    previews.register(application)
    live.register(application)
    # Last, so it only sees presses that no handler above recognised.
    buttons.register(application)
    application.add_error_handler(on_error)
