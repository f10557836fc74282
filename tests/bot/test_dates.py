"""Compact dates on cards and headline lists, in the reader's time zone and language."""

from datetime import UTC, datetime

import pytest

from bot.dates import compact_date
from bot.i18n import translator

NOW = datetime(2026, 11, 5, 10, 0, tzinfo=UTC)  # a Thursday


@pytest.mark.parametrize(
    ("moment", "zone", "language", "shown"),
    [
        (datetime(2026, 11, 5, 8, 5, tzinfo=UTC), "UTC", "en", "08:05"),
        (datetime(2026, 11, 5, 8, 5, tzinfo=UTC), "Europe/Kyiv", "en", "10:05"),
        (datetime(2026, 11, 4, 21, 0, tzinfo=UTC), "UTC", "en", "yesterday"),
        (datetime(2026, 11, 4, 21, 0, tzinfo=UTC), "Europe/Kyiv", "uk", "вчора"),
        (datetime(2026, 11, 4, 23, 30, tzinfo=UTC), "Europe/Berlin", "de", "00:30"),
        (datetime(2026, 11, 3, 9, 0, tzinfo=UTC), "UTC", "en", "Tue 3 Nov"),
        (datetime(2026, 11, 3, 9, 0, tzinfo=UTC), "UTC", "de", "Di., 3. Nov."),
        (datetime(2015, 11, 3, 9, 0, tzinfo=UTC), "UTC", "en", "3 Nov 2015"),
        (None, "UTC", "en", ""),
    ],
)
def test_compact_dates(moment, zone, language, shown):
    assert compact_date(moment, now=NOW, time_zone=zone, t=translator(language)) == shown


def test_an_unknown_time_zone_falls_back_to_utc():
    moment = datetime(2026, 11, 5, 8, 5, tzinfo=UTC)
    assert compact_date(moment, now=NOW, time_zone="Mars/Olympus") == "08:05"
