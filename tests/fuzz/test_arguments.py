"""Command arguments, /schedule times and zones, and button data from any text."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, time, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from bot.callbacks import (
    MAX_CALLBACK_BYTES,
    Action,
    Button,
    decode,
    encode,
    resolve_topic,
    topic_argument,
)
from bot.digests.schedule import DigestSchedule, decide_slot, next_due_after
from bot.parsing import (
    ArgumentError,
    ArticleId,
    DailyAt,
    NewestForMe,
    Query,
    ScheduleOff,
    WebPage,
    parse_schedule,
    parse_summary_target,
    parse_time_zone,
)
from tests.fuzz.strategies import hostile_text, user_text

ZONES = sorted(zoneinfo.available_timezones())
words = st.one_of(
    hostile_text(6),
    st.sampled_from(["off", "OFF", "07:30", "7.05", "23h59", "24:00", "٠٧:٣٠", "Europe/Kyiv"]),
)


@given(st.lists(words, max_size=4))
def test_schedule_arguments_parse_or_explain_themselves(arguments: list[str]) -> None:
    try:
        request = parse_schedule(arguments)
    except ArgumentError as error:
        message = str(error)
        assert "/schedule" in message or "time zone" in message
        assert len(message) < 400  # the user's text is quoted only in part
        return
    assert isinstance(request, DailyAt | ScheduleOff)


@given(st.integers(0, 23), st.integers(0, 59), st.sampled_from(ZONES), st.booleans())
def test_every_valid_time_and_zone_round_trips(
    hour: int, minute: int, zone: str, shout: bool
) -> None:
    spelled = zone.upper() if shout else zone.lower()
    request = parse_schedule([f"{hour:02d}:{minute:02d}", spelled])
    assert request == DailyAt(time(hour, minute), zone)


@given(user_text)
def test_a_time_zone_is_canonical_or_refused(text: str) -> None:
    try:
        assert parse_time_zone(text) in ZONES
    except ArgumentError as error:
        assert "Area/City" in str(error)


@given(
    st.times().map(lambda moment: moment.replace(second=0, microsecond=0)),
    st.sampled_from(ZONES),
    st.frozensets(st.integers(0, 6)),
    st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)
    ),
)
def test_the_next_digest_is_always_strictly_ahead_and_at_most_a_week_away(
    at: time, zone: str, days: frozenset[int], now: datetime
) -> None:
    schedule = DigestSchedule(at, zone, days)
    following = next_due_after(schedule, now)
    decision = decide_slot(schedule, now)
    if not days:
        assert following is None and not decision.send
        return
    assert following is not None and now < following <= now + timedelta(days=8)
    assert decision.next_due_at is not None and decision.next_due_at > now
    if decision.send:
        assert decision.slot is not None and decision.slot <= now


# Found by the fuzz profile: int() refuses a string of more than 4,300 digits.
@example("1" * 10_240)
@given(user_text)
def test_summary_arguments_always_mean_something(text: str) -> None:
    target = parse_summary_target(text)
    assert isinstance(target, WebPage | ArticleId | Query | NewestForMe)
    if isinstance(target, ArticleId):
        assert 0 < target.article_id < 2**63
    if isinstance(target, WebPage):
        assert target.url.lower().startswith(("http://", "https://"))


@given(st.sampled_from(list(Action)), user_text)
def test_button_data_round_trips_or_is_refused_before_sending(
    action: Action, argument: str
) -> None:
    try:
        data = encode(Button(action, argument))
    except ValueError:
        assert len(f"1{action.value}:{argument}".encode()) > MAX_CALLBACK_BYTES
        return
    assert len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES
    assert decode(data) == Button(action, argument)


@given(st.sampled_from(list(Action)), user_text, st.lists(user_text, max_size=3))
def test_a_topic_argument_always_fits_and_resolves_back(
    action: Action, topic: str, others: list[str]
) -> None:
    argument = topic_argument(action, topic)
    data = encode(Button(action, argument))  # never over 64 bytes
    decoded = decode(data)
    assert decoded is not None
    if topic:
        assert resolve_topic(decoded.argument, [*others, topic]) in (topic, *others)


@given(st.one_of(st.none(), user_text, st.binary(max_size=80).map(lambda b: b.decode("latin-1"))))
def test_any_pressed_data_decodes_or_is_ignored(data: str | None) -> None:
    decoded = decode(data)
    assert decoded is None or isinstance(decoded, Button)
