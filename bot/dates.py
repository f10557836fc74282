"""Compact news dates in the reader's time zone and language: "14:05", "yesterday", "Mon 3 Nov".

A reader scanning headlines wants to know how fresh each one is, not its full date: today's
items show the time, yesterday's say so, the past week's and this year's show weekday, day and
month, older ones add the year.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import DEFAULT_LANGUAGE, Translator, month_short, translator, weekday_abbreviation

__all__ = ["compact_date", "reader_zone"]


def reader_zone(time_zone: str) -> ZoneInfo:
    """The chat's time zone, or UTC when its name is unknown."""
    try:
        return ZoneInfo(time_zone)
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def compact_date(
    moment: datetime | None,
    *,
    now: datetime,
    time_zone: str = "UTC",
    t: Translator | None = None,
) -> str:
    """``moment`` as "14:05" (today), "yesterday", "Mon 3 Nov" or "3 Nov 2024"; "" for None."""
    if moment is None:
        return ""
    t = t or translator(DEFAULT_LANGUAGE)
    zone = reader_zone(time_zone)
    local = moment.astimezone(zone)
    today = now.astimezone(zone).date()
    day = local.date()
    if day == today or (day > today and local - now.astimezone(zone) < timedelta(hours=1)):
        return f"{local.hour:02d}:{local.minute:02d}"
    if day == today - timedelta(days=1):
        # Translators: the date of a news item published the day before today.
        return t.gettext("yesterday")
    if day.year == today.year or (today - day).days < 180:
        # Translators: a date such as "Mon 3 Nov"; {weekday} and {month} are short names.
        return t.gettext("{weekday} {day} {month}").format(
            weekday=weekday_abbreviation(t, day.weekday()),
            day=day.day,
            month=month_short(t, day.month),
        )
    # Translators: a date such as "25 Nov 2026"; {month} is the short month name.
    return t.gettext("{day} {month} {year}").format(
        day=day.day, month=month_short(t, day.month), year=day.year
    )
