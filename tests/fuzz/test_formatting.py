"""Any article or user text, formatted: valid Telegram HTML, each message within 4096 units."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import decode, encode
from bot.digests.buttons import as_button
from bot.digests.formatting import DigestItem, format_digest
from bot.digests.ranking import RankedStory
from bot.formatting import (
    MESSAGE_LIMIT,
    SummaryCard,
    escape,
    headline_list,
    split_message,
    summary_card,
)
from emulator import parse_html, utf16_length
from emulator.telegram_html import parse_message_text
from storage.digests import DigestArticle
from storage.models import Headline, RelatedHeadline
from tests.fuzz.strategies import hostile_text, maybe_url, user_text

WHEN = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
time_zones = st.sampled_from(["UTC", "Europe/Kyiv", "Nowhere/Atlantis", "", "../../etc/passwd"])

related = st.builds(
    RelatedHeadline,
    title=user_text,
    url=maybe_url,
    source=st.none() | hostile_text(4),
    score=st.just(1.0),
)
cards = st.builds(
    SummaryCard,
    title=user_text,
    sentences=st.lists(user_text, max_size=4),
    url=maybe_url,
    source=st.none() | hostile_text(5),
    published_at=st.none() | st.just(WHEN),
    related=st.lists(related, max_size=4),
    article_id=st.none() | st.integers(1, 2**63 - 1),
)


def visible(html: str) -> str:
    """The text a reader sees, white space removed (cuts may add or drop spaces)."""
    text, _ = parse_html(html)
    return "".join(text.split())


def assert_sendable(messages: list[str]) -> None:
    """Each message passes sendMessage's checks, and its HTML source is within 4096 units too
    (our splitters measure the source, which is stricter than Telegram's count of the text)."""
    for message in messages:
        assert utf16_length(message) <= MESSAGE_LIMIT
        parse_message_text(message, "HTML")  # raises MessageTextError as Telegram would answer


@given(cards, time_zones)
def test_a_summary_card_of_any_text_is_valid_html_in_sendable_parts(
    card: SummaryCard, time_zone: str
) -> None:
    html = summary_card(card, time_zone=time_zone)
    parse_html(html)
    parts = split_message(html)
    assert_sendable(parts)
    assert "".join(visible(part) for part in parts) == visible(html)


@pytest.mark.slow  # 13-23 s at 60 examples; make test-slow and make fuzz run it
@given(
    user_text,
    st.lists(
        st.builds(
            Headline,
            st.integers(1, 10**6),
            user_text,
            maybe_url,
            st.none() | hostile_text(3),
            st.none() | st.just(WHEN),
        ),
        max_size=30,
    ),
)
def test_a_headline_list_of_any_text_splits_into_sendable_parts(
    heading: str, headlines: list[Headline]
) -> None:
    # The bot's headings are never empty; an empty one would make an empty message.
    html = headline_list(f"News {heading}", headlines)
    parts = split_message(html)
    assert_sendable(parts)
    assert "".join(visible(part) for part in parts) == visible(html)


# Telegram HTML of nested tags around escaped hostile text, as our formatters build it.
def _wrap(children: list[str], tag: str) -> str:
    inner = "".join(children)
    if tag == "a":
        return f'<a href="https://example.com/?q=&amp;">{inner}</a>'
    return f"<{tag}>{inner}</{tag}>" if tag else inner


html_trees = st.recursive(
    user_text.map(escape) | st.sampled_from(["\n", "\n\n", " "]),
    lambda children: st.builds(
        _wrap,
        st.lists(children, min_size=1, max_size=4),
        st.sampled_from(["", "b", "i", "a", "code"]),
    ),
    max_leaves=12,
)


@pytest.mark.slow  # 13-23 s at 60 examples; make test-slow and make fuzz run it
@given(html_trees, st.integers(min_value=200, max_value=MESSAGE_LIMIT))
def test_splitting_keeps_every_visible_character_and_each_part_valid(html: str, limit: int) -> None:
    parts = split_message(html, limit)
    for part in parts:
        assert utf16_length(part) <= limit
        parse_html(part)
    assert "".join(visible(part) for part in parts) == visible(html)


def _story(number: int, title: str, url: str | None, source: str | None, topic: str) -> RankedStory:
    article = DigestArticle(number, number, title, url, source, WHEN, WHEN)
    return RankedStory(number, topic, 1.0, article, (), (number,), WHEN)


stories = st.builds(
    lambda number, title, url, source, topic, summary, extra: DigestItem(
        _story(number, title, url, source, topic), tuple(summary), tuple(extra)
    ),
    st.integers(1, 10**9),
    user_text,
    maybe_url,
    st.none() | hostile_text(4),
    st.sampled_from(["climate", "ελλάδα", "a" * 64, "🇺🇦" * 16]),
    st.lists(user_text, max_size=3),
    st.lists(related, max_size=4),
)


@pytest.mark.slow  # 13-23 s at 60 examples; make test-slow and make fuzz run it
@given(
    st.lists(stories, min_size=1, max_size=12, unique_by=lambda item: item.story.story_id),
    st.lists(hostile_text(4), max_size=4),
)
def test_a_digest_of_any_stories_is_sendable_with_valid_buttons(
    items: list[DigestItem], topics: list[str]
) -> None:
    messages = format_digest(items, local_day=date(2026, 11, 25), topics=topics)
    for message in messages:
        # Telegram's rule (4096 after entity parsing): the HTML of one story whose text is all
        # '&' may be longer, and format_digest rightly sends such a story alone.
        parse_message_text(message.text, "HTML")
    shown = [story for message in messages for story in message.story_ids]
    assert sorted(shown) == sorted(item.story.story_id for item in items)
    for message in messages:
        for row in message.buttons:
            for button in row:
                data = encode(as_button(button))
                assert len(data.encode("utf-8")) <= 64
                assert decode(data) is not None
