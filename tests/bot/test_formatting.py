"""HTML escaping, summary cards and splitting under Telegram's 4096-unit limit."""

import re
from datetime import UTC, datetime

import pytest

from bot.formatting import (
    SummaryCard,
    escape,
    headline_list,
    link,
    split_message,
    summary_card,
    utf16_length,
)
from storage import Headline, RelatedHeadline


def tags_balanced(html: str) -> bool:
    stack: list[str] = []
    for closing, name in re.findall(r"<(/?)([a-z]+)[^>]*>", html):
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def test_escape_neutralises_markup_and_entities():
    assert escape('<b>AT&T</b> "quoted"') == '&lt;b&gt;AT&amp;T&lt;/b&gt; "quoted"'


def test_link_escapes_text_and_attribute():
    assert (
        link("A <b> & co", 'https://x.test/?a=1&b="2"')
        == '<a href="https://x.test/?a=1&amp;b=&quot;2&quot;">A &lt;b&gt; &amp; co</a>'
    )


@pytest.mark.parametrize("url", [None, "", "javascript:alert(1)", "ftp://x.test/file", "not a url"])
def test_link_leaves_non_web_urls_unlinked(url):
    assert link("Title", url) == "Title"


def test_summary_card_shows_linked_title_summary_source_date_and_three_related():
    card = SummaryCard(
        title="Rain <heavy> in Kyiv",
        sentences=("It rained.", "A lot & more."),
        url="https://news.test/rain",
        source="Daily Test",
        published_at=datetime(2026, 11, 24, 23, 30, tzinfo=UTC),
        related=[
            RelatedHeadline(
                title=f"Related {n}", url=f"https://news.test/{n}", source="Wire", score=1.0
            )
            for n in range(5)
        ],
        article_id=42,
    )
    now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    assert summary_card(card, time_zone="Europe/Kyiv", now=now) == (
        '<b><a href="https://news.test/rain">Rain &lt;heavy&gt; in Kyiv</a></b>\n\n'
        "It rained. A lot &amp; more.\n\n"
        "<i>Daily Test · Wed 25 Nov · #42</i>\n\n"
        "<b>Related</b>\n"
        '• <a href="https://news.test/0">Related 0</a> — Wire\n'
        '• <a href="https://news.test/1">Related 1</a> — Wire\n'
        '• <a href="https://news.test/2">Related 2</a> — Wire'
    )


def test_summary_card_without_url_or_related_is_plain_bold_title():
    card = SummaryCard(title="Pasted", sentences=("One.",))
    assert summary_card(card) == "<b>Pasted</b>\n\nOne."


def test_headline_list_escapes_every_title():
    headlines = [Headline(id=1, title="<script>", url=None, source="S&P", published_at=None)]
    assert headline_list("Latest", headlines) == "<b>Latest</b>\n• &lt;script&gt; <i>S&amp;P</i>"


def test_short_message_is_not_split():
    assert split_message("<b>hi</b>") == ["<b>hi</b>"]


def test_split_prefers_paragraph_boundaries():
    paragraphs = [f"Paragraph {n} " + "word " * 30 for n in range(20)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    parts = split_message(text, limit=500)
    assert all(utf16_length(part) <= 500 for part in parts)
    assert all(part.startswith("Paragraph") and part.endswith("word") for part in parts)
    assert "\n\n".join(parts) == text


def test_split_never_cuts_inside_a_tag_or_entity_and_keeps_tags_balanced():
    text = "<b>" + "bold &amp; strong " * 100 + "</b>\n\n" + '<a href="https://x.test/">link</a>'
    parts = split_message(text, limit=200)
    assert len(parts) > 1
    for part in parts:
        assert utf16_length(part) <= 200
        assert tags_balanced(part), part
        assert not re.search(r"&[a-z]*$", part.replace("&amp;", ""))
    assert parts[-1].endswith('<a href="https://x.test/">link</a>')


def test_split_counts_astral_characters_twice():
    text = "😀" * 3000
    parts = split_message(text)
    assert [utf16_length(part) for part in parts] == [4096, 1904]


def test_split_cuts_a_word_longer_than_the_limit():
    parts = split_message("x" * 250, limit=100)
    assert parts == ["x" * 100, "x" * 100, "x" * 50]


def test_whitespace_only_message_yields_nothing():
    assert split_message("   ") == []


def test_a_link_too_long_to_split_is_sent_as_plain_text():
    html = f"<b>{link('Title', 'https://x.test/' + 'x' * 5000)}</b>"
    parts = split_message(html)
    assert parts == ["<b>Title</b>"]


def test_tags_too_long_for_any_part_degrade_to_plain_text():
    long_tag = '<a href="https://x.test/' + "y" * 4100 + '">'
    parts = split_message(f"{long_tag}linked words</a> and more")
    assert parts == ["linked words and more"]
