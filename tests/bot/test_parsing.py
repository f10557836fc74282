"""Command argument parsing: /schedule times and zones, /summary targets."""

from datetime import time

import pytest

from bot.parsing import (
    ArgumentError,
    ArticleId,
    DailyAt,
    NewestForMe,
    Query,
    ScheduleOff,
    WebPage,
    find_single_url,
    parse_schedule,
    parse_summary_target,
    parse_time_zone,
)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["08:00"], DailyAt(time(8, 0))),
        (["7:30", "europe/kyiv"], DailyAt(time(7, 30), "Europe/Kyiv")),
        (["23.59", "UTC"], DailyAt(time(23, 59), "UTC")),
        (["off"], ScheduleOff()),
        (["OFF"], ScheduleOff()),
    ],
)
def test_schedule_accepts_times_zones_and_off(arguments, expected):
    assert parse_schedule(arguments) == expected


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "Usage: /schedule"),
        (["25:00"], "not a time of day"),
        (["8:60"], "not a time of day"),
        (["noon"], "not a time of day"),
        (["08:00", "Mars/Olympus"], "time zone “Mars/Olympus”"),
        (["08:00", "../../etc/passwd"], "don't know the time zone"),
        (["08:00", "Europe/Kyiv", "extra"], "Usage: /schedule"),
    ],
)
def test_schedule_rejects_bad_input_with_a_clear_message(arguments, message):
    with pytest.raises(ArgumentError, match=message):
        parse_schedule(arguments)


def test_time_zone_names_are_canonicalised():
    assert parse_time_zone("america/new_york") == "America/New_York"


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("", NewestForMe()),
        ("https://news.test/a?b=1", WebPage("https://news.test/a?b=1")),
        ("42", ArticleId(42)),
        ("#42", ArticleId(42)),
        ("0", Query("0")),
        ("climate change", Query("climate change")),
        ("٣", Query("٣")),
        ("9" * 30, Query("9" * 30)),
    ],
)
def test_summary_target(argument, expected):
    assert parse_summary_target(argument) == expected


def test_single_url_only_when_the_whole_text_is_a_link():
    assert find_single_url("  http://x.test/a  ") == "http://x.test/a"
    assert find_single_url("see http://x.test/a") is None
    assert find_single_url("file:///etc/passwd") is None
