"""Parsing of command arguments: pure functions with clear errors, no Telegram types."""

from __future__ import annotations

import functools
import re
import zoneinfo
from dataclasses import dataclass
from datetime import time

from bot.i18n import N_, TranslatableError

__all__ = [
    "LONG_TEXT_CHARS",
    "MIN_TEXT_CHARS",
    "SCHEDULE_USAGE",
    "ArgumentError",
    "ArticleId",
    "DailyAt",
    "NewestForMe",
    "Query",
    "ScheduleOff",
    "SummaryTarget",
    "WebPage",
    "find_single_url",
    "parse_schedule",
    "parse_summary_target",
    "parse_time_zone",
]

# A pasted text this long is an article to summarise; a shorter one is chat, and summarising
# it would only repeat it. The flood guard counts the same texts as expensive.
LONG_TEXT_CHARS = 500
# A forwarded post (or a text replied to with /summary) is summarised from this length.
MIN_TEXT_CHARS = 200

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_MAX_ARTICLE_ID = 2**63 - 1
SCHEDULE_USAGE = N_(
    "Usage: /schedule HH:MM [Area/City], e.g. /schedule 08:00 Europe/Kyiv, or /schedule off."
)


class ArgumentError(TranslatableError, ValueError):
    """A command argument could not be understood; the message is shown to the user."""


@dataclass(frozen=True, slots=True)
class DailyAt:
    """Send the digest every day at ``at`` in ``time_zone`` (None: keep the chat's zone)."""

    at: time
    time_zone: str | None = None


@dataclass(frozen=True, slots=True)
class ScheduleOff:
    """Stop the daily digest."""


@functools.cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def parse_time_zone(text: str) -> str:
    """Return the canonical IANA name for ``text`` (any case), or raise ArgumentError."""
    name = _zones_by_lower_name().get(text.strip().lower())
    if name is None:
        shown = text.strip()[:40]
        raise ArgumentError(
            N_(
                "I don't know the time zone “{zone}”. Use an Area/City name such as "
                "Europe/Kyiv, America/New_York or Asia/Tokyo (or UTC)."
            ),
            zone=shown,
        )
    return name


def parse_schedule(arguments: list[str] | tuple[str, ...]) -> DailyAt | ScheduleOff:
    """Parse ``/schedule HH:MM [Area/City]`` or ``/schedule off``."""
    if len(arguments) == 1 and arguments[0].lower() in ("off", "stop", "none"):
        return ScheduleOff()
    if not arguments or len(arguments) > 2:
        raise ArgumentError(SCHEDULE_USAGE)
    match = _TIME.match(arguments[0].strip())
    if match is None:
        shown = arguments[0][:20]
        raise ArgumentError(
            N_("“{text}” is not a time of day. Use 24-hour HH:MM, e.g. /schedule 07:30."),
            text=shown,
        )
    at = time(int(match.group(1)), int(match.group(2)))
    zone = parse_time_zone(arguments[1]) if len(arguments) == 2 else None
    return DailyAt(at, zone)


@dataclass(frozen=True, slots=True)
class WebPage:
    """Summarise the page at a URL."""

    url: str


@dataclass(frozen=True, slots=True)
class ArticleId:
    """Summarise a stored article by its number."""

    article_id: int


@dataclass(frozen=True, slots=True)
class Query:
    """Summarise the stored article that best matches a search."""

    text: str


@dataclass(frozen=True, slots=True)
class NewestForMe:
    """Summarise the newest article for the chat's topics."""


SummaryTarget = WebPage | ArticleId | Query | NewestForMe


def find_single_url(text: str) -> str | None:
    """The URL when ``text`` is exactly one http(s) URL, else None."""
    stripped = text.strip()
    return stripped if _URL.match(stripped) else None


def parse_summary_target(argument: str) -> SummaryTarget:
    """Decide what ``/summary <argument>`` asks for."""
    argument = argument.strip()
    if not argument:
        return NewestForMe()
    url = find_single_url(argument)
    if url is not None:
        return WebPage(url)
    number = argument.removeprefix("#")
    # The length check comes first: int() refuses strings over 4,300 digits with ValueError.
    if (
        number.isascii()
        and number.isdigit()
        and len(number) <= len(str(_MAX_ARTICLE_ID))
        and 0 < int(number) <= _MAX_ARTICLE_ID
    ):
        return ArticleId(int(number))
    return Query(argument)
