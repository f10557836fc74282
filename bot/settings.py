"""The bot's configuration, read once from the environment at start (never at import time)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from feeds.headline_pages import fetch_pages_enabled
from storage.database import default_database_path

__all__ = ["ACCESS_MODES", "DEFAULT_API_BASE_URL", "Settings", "SettingsError"]

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"

# A token is "<bot id>:<secret>"; checking the shape catches a pasted placeholder early,
# before the first request carries it anywhere.
_TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Who may use the bot: everyone, the listed users, or whoever an admin approves.
ACCESS_MODES = ("open", "allowlist", "approval")


# The spellings a yes/no variable accepts; empty means the default (no).
_YES = ("1", "true", "yes", "on")
_NO = ("", "0", "false", "no", "off")


class SettingsError(Exception):
    """The environment does not describe a usable configuration; the message says how to fix it."""


def _split_list(value: str) -> tuple[str, ...]:
    """Items of a comma- or whitespace-separated variable, empty ones dropped."""
    return tuple(item for item in re.split(r"[\s,]+", value) if item)


def _positive_int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}.") from None
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, not {value}.")
    return value


def _on_off(environ: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in _YES + _NO:
        raise SettingsError(f"{name} must be on or off, not {raw!r}.")
    return raw in _YES


def _chat_id(environ: Mapping[str, str], name: str) -> int | None:
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(
            f"{name} must be a numeric Telegram chat id (a group's starts with -100), not {raw!r}."
        ) from None


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the bot reads from its environment."""

    # repr=False keeps the token out of tracebacks, logs and debugger output.
    token: str = field(repr=False)
    api_base_url: str = DEFAULT_API_BASE_URL
    database_path: Path = Path("newsbot.db")
    admin_ids: frozenset[int] = frozenset()
    feeds: tuple[str, ...] = ()
    log_level: str = "WARNING"
    # Hosts a /summary URL may reach even when they resolve to private addresses (tests, intranets).
    fetch_allow_hosts: frozenset[str] = frozenset()
    # None: one thread (more cannot run Python in parallel under the GIL and only slow the
    # event loop), or one process per core with summary_processes.
    summary_workers: int | None = None
    # Threads by default; see bot.summarizer for the measurements behind that choice.
    summary_processes: bool = False
    feed_poll_minutes: int = 15
    webhook_secret: str | None = field(default=None, repr=False)
    # Where operational problems are reported (a user, group or channel id); None: logs only.
    admin_chat_id: int | None = None
    access: str = "open"
    # NEWSBOT_ALLOWED_USERS: numeric ids and usernames (lower case, without @).
    allowed_user_ids: frozenset[int] = frozenset()
    allowed_usernames: frozenset[str] = frozenset()
    # NEWSBOT_PREVIEWS=off: no link previews (lead images) anywhere, whatever readers chose.
    previews: bool = True
    # NEWSBOT_CHANNEL_VIA=off: channel posts without their closing "via @bot" line.
    channel_via: bool = True
    # Stories posted "as it happens" to one chat in an hour before the rest is batched.
    live_cap: int = 10
    # Fetch the article pages of headline-only feed items (NEWSBOT_FETCH_PAGES=0: never).
    fetch_pages: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``environ`` (``os.environ`` when omitted); raise SettingsError."""
        env = os.environ if environ is None else environ
        token = _token(env)
        admin_ids = _admin_ids(env)
        log_level = env.get("NEWSBOT_LOG_LEVEL", "WARNING").strip().upper() or "WARNING"
        if log_level not in _LOG_LEVELS:
            raise SettingsError(
                f"NEWSBOT_LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}, not {log_level!r}."
            )
        log_format = env.get("NEWSBOT_LOG_FORMAT", "text").strip().lower() or "text"
        if log_format not in ("text", "json"):
            raise SettingsError(f"NEWSBOT_LOG_FORMAT must be text or json, not {log_format!r}.")
        summary_processes = env.get("NEWSBOT_SUMMARY_PROCESSES", "").strip().lower()
        if summary_processes not in _YES + _NO:
            raise SettingsError(
                f"NEWSBOT_SUMMARY_PROCESSES must be 1 or 0 (yes or no), not {summary_processes!r}."
            )
        feeds = _feeds(env)
        access = env.get("NEWSBOT_ACCESS", "").strip().lower() or "open"
        if access not in ACCESS_MODES:
            raise SettingsError(
                f"NEWSBOT_ACCESS must be one of {', '.join(ACCESS_MODES)}, not {access!r}."
            )
        allowed_ids, allowed_names = _allowed_users(env, access, admin_ids)
        return cls(
            token=token,
            api_base_url=normalise_api_base_url(env.get("TELEGRAM_API_BASE_URL", "")),
            database_path=default_database_path(env).expanduser(),
            admin_ids=admin_ids,
            feeds=feeds,
            log_level=log_level,
            fetch_allow_hosts=frozenset(
                host.lower() for host in _split_list(env.get("NEWSBOT_FETCH_ALLOW_HOSTS", ""))
            ),
            summary_workers=_positive_int(env, "NEWSBOT_SUMMARY_WORKERS", 0) or None,
            summary_processes=summary_processes in _YES,
            feed_poll_minutes=_positive_int(env, "NEWSBOT_FEED_POLL_MINUTES", 15),
            webhook_secret=env.get("NEWSBOT_WEBHOOK_SECRET", "").strip() or None,
            admin_chat_id=_chat_id(env, "NEWSBOT_ADMIN_CHAT_ID"),
            access=access,
            allowed_user_ids=allowed_ids,
            allowed_usernames=allowed_names,
            previews=_on_off(env, "NEWSBOT_PREVIEWS", default=True),
            channel_via=_on_off(env, "NEWSBOT_CHANNEL_VIA", default=True),
            live_cap=_positive_int(env, "NEWSBOT_LIVE_CAP", 10),
            fetch_pages=fetch_pages_enabled(True, env),
        )


def _token(env: Mapping[str, str]) -> str:
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather in Telegram and "
            "run: export TELEGRAM_BOT_TOKEN='<the token it gives you>'"
        )
    if not _TOKEN_SHAPE.match(token):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN does not look like a bot token (expected digits, a colon "
            "and a secret, as @BotFather gives it)."
        )
    return token


def _admin_ids(env: Mapping[str, str]) -> frozenset[int]:
    admin_ids = set()
    for item in _split_list(env.get("NEWSBOT_ADMIN_IDS", "")):
        try:
            admin_ids.add(int(item))
        except ValueError:
            raise SettingsError(
                f"NEWSBOT_ADMIN_IDS must list numeric Telegram user ids, not {item!r}."
            ) from None
    return frozenset(admin_ids)


def _feeds(env: Mapping[str, str]) -> tuple[str, ...]:
    feeds = _split_list(env.get("NEWSBOT_FEEDS", ""))
    for feed in feeds:
        if not feed.startswith(("http://", "https://")):
            raise SettingsError(
                f"NEWSBOT_FEEDS must list http:// or https:// addresses separated by "
                f"commas, not {feed!r}."
            )
    return feeds


def _allowed_users(
    env: Mapping[str, str], access: str, admin_ids: frozenset[int]
) -> tuple[frozenset[int], frozenset[str]]:
    """NEWSBOT_ALLOWED_USERS as ids and usernames; an access mode without its people fails."""
    allowed = _split_list(env.get("NEWSBOT_ALLOWED_USERS", ""))
    if access == "approval" and not admin_ids:
        raise SettingsError(
            "NEWSBOT_ACCESS=approval needs NEWSBOT_ADMIN_IDS: the admins who approve "
            "new users (numeric Telegram user ids)."
        )
    if access == "allowlist" and not (admin_ids or allowed):
        raise SettingsError(
            "NEWSBOT_ACCESS=allowlist needs NEWSBOT_ALLOWED_USERS or NEWSBOT_ADMIN_IDS: "
            "ids or @usernames of the people who may use the bot."
        )
    ids = frozenset(int(item) for item in allowed if item.isdigit())
    names = frozenset(item.removeprefix("@").lower() for item in allowed if not item.isdigit())
    return ids, names


def normalise_api_base_url(value: str) -> str:
    """Accept a Bot API server address with or without the trailing ``/bot`` PTB expects."""
    value = value.strip().rstrip("/")
    if not value:
        return DEFAULT_API_BASE_URL
    if not value.startswith(("http://", "https://")):
        raise SettingsError(
            f"TELEGRAM_API_BASE_URL must start with http:// or https://, not {value!r}."
        )
    return value if value.endswith("/bot") else f"{value}/bot"
