"""News clean-up: each rule on a real-looking example."""

import pytest

from summaries.cleanup import (
    clean_sentences,
    clean_text,
    is_boilerplate,
    is_caption,
    is_fragment,
    tidy,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "LONDON (Reuters) - British inflation rose to 3.1 percent in November.",
            "British inflation rose to 3.1 percent in November.",
        ),
        (
            "(CNN) -- A powerful storm swept across the Gulf Coast on Sunday.",
            "A powerful storm swept across the Gulf Coast on Sunday.",
        ),
        (
            "Washington (CNN)The Senate passed the bill late on Tuesday.",
            "The Senate passed the bill late on Tuesday.",
        ),
        (
            "PARIS, March 3 (AFP) — Strikes closed the Louvre for a second day.",
            "Strikes closed the Louvre for a second day.",
        ),
        (
            "WASHINGTON — The Federal Reserve held interest rates steady on Wednesday.",
            "The Federal Reserve held interest rates steady on Wednesday.",
        ),
    ],
)
def test_datelines_are_removed(text: str, expected: str) -> None:
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Apple (AAPL) shares rose 3 percent on Monday.",
        "The Press Association (PA) said the figures were wrong.",
    ],
)
def test_a_parenthesis_in_an_opening_sentence_is_not_a_dateline(text: str) -> None:
    assert clean_text(text) == text


def test_daily_mail_header_is_removed() -> None:
    text = (
        "By . Daily Mail Reporter . PUBLISHED: . 12:52 EST, 3 March 2013 . | . UPDATED: . "
        "13:03 EST, 3 March 2013 . A man has been arrested after a dog was found in a car."
    )
    assert clean_text(text) == "A man has been arrested after a dog was found in a car."


def test_daily_mail_byline_without_dates_is_removed() -> None:
    text = "By . Sam Webb . Police are hunting a thief who stole a bus."
    assert clean_text(text) == "Police are hunting a thief who stole a bus."


def test_a_byline_on_its_own_line_is_removed() -> None:
    text = "By JANE SMITH, Associated Press\nThe bridge reopened on Friday after repairs."
    assert clean_text(text) == "The bridge reopened on Friday after repairs."


def test_share_buttons_on_their_own_line_are_removed() -> None:
    text = "The bridge reopened on Friday.\nShare this article\nAdvertisement\nTraffic was light."
    assert clean_text(text) == "The bridge reopened on Friday.\nTraffic was light."


@pytest.mark.parametrize(
    "sentence",
    [
        "Click here to read the full report.",
        "READ MORE: Why the bridge took three years to fix",
        "Scroll down for video.",
        "Subscribe to our daily newsletter for more.",
        "Sign up for breaking news alerts.",
        "Follow us on Twitter for updates.",
        "CNN's Jane Smith contributed to this report.",
        "Editor's note: This story has been updated.",
        "Read this: African designs rocking art world.",
    ],
)
def test_boilerplate_sentences_are_recognised(sentence: str) -> None:
    assert is_boilerplate(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Pictured: The bridge on the morning it reopened.",
        "Rescue workers search the rubble (Photo: Getty Images).",
        "Crowds gather outside the court. AFP Photo",
        "Image copyright Reuters Image caption The bridge reopened.",
    ],
)
def test_photo_captions_are_recognised(sentence: str) -> None:
    assert is_caption(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The mayor said the bridge would reopen on Friday.",
        "Readers can find more details in the council's report.",
        "The company's newsletter revealed the plan to its staff.",
        "She said the photographer had been hurt.",
    ],
)
def test_ordinary_news_sentences_are_kept(sentence: str) -> None:
    assert not (is_boilerplate(sentence) or is_caption(sentence) or is_fragment(sentence))


@pytest.mark.parametrize("sentence", ["Expensive sleep!", "|", "12:52 EST.", "Getty Images."])
def test_fragments_are_recognised(sentence: str) -> None:
    assert is_fragment(sentence)


def test_duplicates_boilerplate_and_fragments_are_dropped() -> None:
    sentences = [
        "The bridge reopened on Friday after repairs.",
        "Click here to subscribe.",
        "Expensive sleep!",
        "The bridge reopened on Friday after repairs!",
        "Traffic returned to normal by the evening rush hour.",
    ]
    assert clean_sentences(sentences) == [0, 4]


def test_a_headline_alone_is_kept_although_it_is_short() -> None:
    assert clean_sentences(["Bridge reopens."]) == [0]


def test_stray_dots_around_scraped_sentences_are_tidied() -> None:
    assert tidy(". . The bridge reopened on Friday. . .") == "The bridge reopened on Friday."
