"""Digest messages: escaped HTML cards, buttons per story and splitting between stories."""

from datetime import UTC, date, datetime

from bot.callbacks import Action
from bot.digests.formatting import DigestItem, format_digest, format_nothing_new
from bot.digests.ranking import RankedStory
from bot.formatting import visible_length
from emulator.telegram_html import parse_message_text
from storage.digests import DigestArticle
from storage.models import RelatedHeadline

WHEN = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)


def item(
    story_id: int,
    topic: str = "ukraine",
    title: str = "Talks resume",
    summary: tuple[str, ...] = ("First sentence.", "Second sentence."),
    also: tuple[str, ...] = (),
    related: tuple[RelatedHeadline, ...] = (),
    url: str | None = "https://example.org/a?x=1&y=2",
) -> DigestItem:
    article = DigestArticle(story_id * 10, story_id, title, url, "BBC", WHEN, WHEN)
    story = RankedStory(
        story_id=story_id,
        topic=topic,
        score=1.0 / story_id,
        article=article,
        also_sources=also,
        article_ids=(story_id * 10, story_id * 10 + 1),
        newest_fetched_at=WHEN,
    )
    return DigestItem(story, summary, related)


def test_a_story_card_has_a_linked_escaped_title_summary_source_date_and_related() -> None:
    related = (RelatedHeadline("Envoys meet <again>", None, "AP", 0.9),)
    [message] = format_digest(
        [item(1, title="Kyiv & Moscow <talk>", also=("Reuters", "AP"), related=related)],
        local_day=date(2026, 1, 15),
        topics=["climate", "ukraine"],
    )
    assert message.text == (
        "<b>Your digest</b> · climate, ukraine · Thu 15 Jan\n"
        "\n<b>ukraine</b>\n"
        '1. <b><a href="https://example.org/a?x=1&amp;y=2">Kyiv &amp; Moscow &lt;talk&gt;</a></b>\n'
        "First sentence. Second sentence.\n"
        "<i>BBC · 15 Jan 2026 · also: Reuters, AP</i>\n"
        "↳ Envoys meet &lt;again&gt; (AP)"
    )


def test_each_story_gets_summary_and_more_buttons_and_each_topic_an_unfollow_button() -> None:
    [message] = format_digest([item(1), item(2, topic="climate")])
    actions = [[(button.action, button.value) for button in row] for row in message.buttons]
    assert actions == [
        [(Action.DIGEST_SUMMARY, "10"), (Action.MORE_LIKE_THIS, "10")],
        [(Action.DIGEST_SUMMARY, "20"), (Action.MORE_LIKE_THIS, "20")],
        [(Action.UNFOLLOW, "ukraine"), (Action.UNFOLLOW, "climate")],
    ]
    assert [button.label for button in message.buttons[2]] == [
        "🔕 Unfollow ukraine",
        "🔕 Unfollow climate",
    ]
    assert message.article_ids == (10, 11, 20, 21)


def test_stories_are_grouped_under_their_topic_as_the_reader_wrote_it() -> None:
    items = [item(1, "Ukraine -football"), item(2, '"climate change" or emissions')]
    [message] = format_digest([*items, item(3, "Ukraine -football")])
    assert message.text.count("<b>Ukraine -football</b>") == 1
    assert '<b>"climate change" or emissions</b>' in message.text
    # Numbers follow the display order: the second Ukraine story is number 2.
    assert message.story_ids == (1, 3, 2)


def test_a_story_without_a_summary_shows_its_linked_headline_source_and_date() -> None:
    [message] = format_digest([item(1, title="Port reopens", summary=())])
    assert message.text.endswith(
        '1. <b><a href="https://example.org/a?x=1&amp;y=2">Port reopens</a></b>\n'
        "<i>BBC · 15 Jan 2026</i>"
    )


def test_a_feed_link_of_another_scheme_is_not_linked() -> None:
    related = (RelatedHeadline("Click me", "tg://user?id=1", None, 0.9),)
    [message] = format_digest([item(1, url="javascript:alert(1)", related=related)])
    assert "javascript:" not in message.text
    assert "tg://" not in message.text


def test_a_summary_is_one_or_two_sentences_of_about_280_characters() -> None:
    summary = tuple(
        f"Sentence {n} says something about the story at some length." for n in range(3)
    )
    [message] = format_digest([item(1, summary=summary)])
    [line] = [line for line in message.text.splitlines() if line.startswith("Sentence")]
    assert line == summary[0] + " " + summary[1]
    longer = ("A single sentence that goes on and on " * 12,)
    [message] = format_digest([item(1, summary=longer)])
    [line] = [line for line in message.text.splitlines() if line.startswith("A single")]
    assert len(line) <= 280 and line.endswith("…")


def test_medium_and_long_fold_the_rest_of_the_summary_in_an_expandable_quote() -> None:
    summary = ("First sentence.", "Second sentence.", "Third sentence.")
    [short] = format_digest([item(1, summary=summary)])
    [medium] = format_digest([item(1, summary=summary)], length="medium")
    assert "Third" not in short.text
    assert "<blockquote expandable>Third sentence.</blockquote>" in medium.text


def worst_case(story_id: int) -> DigestItem:
    """A story as long as a feed can make it: long title, URL, summary, sources, related."""
    url = "https://example.org/" + "x" * 300
    related = tuple(
        RelatedHeadline("Related headline that rambles " * 8, url, "Source " * 10, 0.5)
        for _ in range(3)
    )
    summary = tuple(
        "A long sentence of the summary that says a lot of things. " * 3 for _ in range(5)
    )
    return item(
        story_id,
        topic=f"topic {story_id % 5} " + "t" * 50,
        title="Title " * 60,
        summary=summary,
        also=tuple(f"Agency {n} " * 6 for n in range(4)),
        related=related,
        url=url,
    )


def test_five_stories_fit_one_message_and_ten_at_most_two_at_any_length() -> None:
    for length in ("short", "medium", "long"):
        topics = [f"topic {n} " + "t" * 50 for n in range(5)]
        five = format_digest([worst_case(n) for n in range(1, 6)], topics=topics, length=length)
        ten = format_digest([worst_case(n) for n in range(1, 11)], topics=topics, length=length)
        assert len(five) == 1, length
        assert len(ten) <= 2, length
        for message in [*five, *ten]:
            parse_message_text(message.text, "HTML")


def test_a_long_digest_is_split_between_stories_under_the_limit() -> None:
    long_summary = tuple(f"Sentence number {n} of a rather long summary." for n in range(14))
    items = [item(n, summary=long_summary) for n in range(1, 13)]
    messages = format_digest(items, limit=1000)
    assert len(messages) > 1
    assert all(visible_length(message.text) <= 1000 for message in messages)
    assert [sid for message in messages for sid in message.story_ids] == list(range(1, 13))
    # Every part carries the buttons of its own stories only.
    for message in messages:
        values = {button.value for row in message.buttons for button in row[:1]}
        assert values == {str(sid * 10) for sid in message.story_ids} | (
            {"ukraine"} if len(message.buttons) > len(message.story_ids) else set()
        )
    assert messages[1].text.startswith("<b>Your digest</b> (2)")


def test_an_untitled_story_without_url_still_renders() -> None:
    [message] = format_digest([item(1, title="", url=None, summary=())])
    assert "1. <b>(untitled)</b>" in message.text


def test_no_items_no_message() -> None:
    assert format_digest([]) == []


def test_nothing_new_notice() -> None:
    assert "Nothing new" in format_nothing_new()


def test_dates_are_relative_to_the_run_in_the_readers_zone_and_language() -> None:
    [today] = format_digest([item(1)], now=WHEN.replace(hour=18))
    assert "BBC · 07:00" in parse_message_text(today.text)[0]
    [next_day] = format_digest([item(1)], now=datetime(2026, 1, 16, 9, tzinfo=UTC))
    assert "BBC · yesterday" in parse_message_text(next_day.text)[0]
    [kyiv] = format_digest(
        [item(1)], now=WHEN.replace(hour=18), time_zone="Europe/Kyiv", language="uk"
    )
    assert "BBC · 09:00" in parse_message_text(kyiv.text)[0]
    [undated_run] = format_digest([item(1)])
    assert "BBC · 15 Jan 2026" in parse_message_text(undated_run.text)[0]
