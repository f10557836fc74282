"""Shared services and typed application state, so handlers never fish in string-keyed dicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache, TTLCache
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.page_fetcher import PageFetcher
from bot.settings import Settings
from bot.summarizer import Summarizer
from feeds.fetch import Fetcher
from storage import Store

__all__ = ["BotData", "ChatLanguages", "NewsApplication", "NewsContext", "SeenChats", "Services"]


class SeenChats:
    """Chats confirmed active within the last few minutes, so most updates skip the database.

    Blocks and removals arrive as my_chat_member updates, which call :meth:`forget`; the time
    limit bounds how long any other change (a 403 seen elsewhere) can go unnoticed.
    """

    def __init__(self, ttl_seconds: float = 300.0, max_size: int = 50_000) -> None:
        self._seen: TTLCache[int, bool] = TTLCache(maxsize=max_size, ttl=ttl_seconds)

    def fresh(self, chat_id: int) -> bool:
        """Whether the chat was confirmed active recently."""
        return self._seen.get(chat_id, False)

    def mark(self, chat_id: int) -> None:
        """Record that the chat is active now."""
        self._seen[chat_id] = True

    def forget(self, chat_id: int) -> None:
        """Make the next update from the chat check the database again."""
        self._seen.pop(chat_id, None)


class ChatLanguages:
    """Each chat's interface language once looked up, so replies need no database read.

    Only the bot changes a chat's language (/settings, /forget), and it updates this as it does.
    """

    def __init__(self, max_size: int = 50_000) -> None:
        self._languages: LRUCache[int, str] = LRUCache(maxsize=max_size)

    def get(self, chat_id: int) -> str | None:
        """The chat's language code, or None when not looked up yet."""
        return self._languages.get(chat_id)

    def set(self, chat_id: int, language: str) -> None:
        """Remember the chat's language code."""
        self._languages[chat_id] = language

    def forget(self, chat_id: int) -> None:
        """Look the chat's language up again on its next update."""
        self._languages.pop(chat_id, None)


@dataclass(slots=True)
class Services:
    """What handlers and jobs call: database, summariser, page fetcher, HTTP client for feeds."""

    settings: Settings
    store: Store
    summarizer: Summarizer
    fetcher: PageFetcher
    http: Fetcher
    seen: SeenChats = field(default_factory=SeenChats)
    languages: ChatLanguages = field(default_factory=ChatLanguages)


class BotData:
    """PTB's ``bot_data``: set up in post_init, empty before and after the application runs."""

    __slots__ = ("_services",)

    def __init__(self) -> None:
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        """The running application's services."""
        if self._services is None:
            raise RuntimeError("services are used before post_init or after post_shutdown")
        return self._services

    def attach(self, services: Services) -> None:
        """Make ``services`` available to handlers (post_init)."""
        self._services = services

    def detach(self) -> Services | None:
        """Forget the services and return them for closing (post_shutdown)."""
        services, self._services = self._services, None
        return services


class NewsContext(CallbackContext[ExtBot[int], dict[Any, Any], dict[Any, Any], BotData]):
    """The context every handler, error handler and job receives."""

    @property
    def services(self) -> Services:
        """Shortcut for ``context.bot_data.services``."""
        return self.bot_data.services


NewsApplication = Application[
    ExtBot[int], NewsContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[NewsContext]
]
