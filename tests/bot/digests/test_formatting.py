"""Digest messages: escaped HTML cards, buttons per story and splitting between stories."""

from datetime import UTC, date, datetime

from bot.digests.formatting import (
    DigestItem,
    format_digest,
    format_nothing_new,
    telegram_length,
)
from bot.digests.ranking import RankedStory
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


def test_a_story_card_has_a_linked_escaped_title_summary_sources_and_related() -> None:
    related = (RelatedHeadline("Envoys meet <again>", None, "AP", 0.9),)
    [message] = format_digest(
        [item(1, title="Kyiv & Moscow <talk>", also=("Reuters", "AP"), related=related)],
        local_day=date(2026, 1, 15),
        topics=["climate", "ukraine"],
    )
    assert message.text == (
        "<b>Your digest</b> · climate, ukraine · Thu 15 Jan\n"
        "\n<b>Ukraine</b>\n"
        '1. <b><a href="https://example.org/a?x=1&amp;y=2">Kyiv &amp; Moscow &lt;talk&gt;</a></b>\n'
        "First sentence. Second sentence.\n"
        "<i>BBC · also: Reuters, AP</i>\n"
        "↳ Envoys meet &lt;again&gt; (AP)"
    )


def test_each_story_gets_summary_and_more_buttons_and_each_topic_a_mute_button() -> None:
    [message] = format_digest([item(1), item(2, topic="climate")])
    actions = [[(button.action, button.value) for button in row] for row in message.buttons]
    assert actions == [
        [("summary", "10"), ("more", "10")],
        [("summary", "20"), ("more", "20")],
        [("mute", "ukraine"), ("mute", "climate")],
    ]
    assert message.article_ids == (10, 11, 20, 21)


def test_stories_are_grouped_under_their_topic_headers() -> None:
    [message] = format_digest([item(1, "ukraine"), item(2, "climate"), item(3, "ukraine")])
    assert message.text.count("<b>Ukraine</b>") == 1
    # Numbers follow the display order: the second Ukraine story is number 2.
    assert message.story_ids == (1, 3, 2)
    assert message.text.index("\n2. ") < message.text.index("<b>Climate</b>")


def test_a_long_digest_is_split_between_stories_under_the_limit() -> None:
    long_summary = tuple(f"Sentence number {n} of a rather long summary." for n in range(14))
    items = [item(n, summary=long_summary) for n in range(1, 13)]
    messages = format_digest(items)
    assert len(messages) > 1
    assert all(telegram_length(message.text) <= 4096 for message in messages)
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
