"""Odd input never crashes: each gives a sensible summary or a clear error."""

import pytest

from summaries import ALGORITHMS, summarize


@pytest.mark.parametrize("text", ["", "   \n\n\t  ", "...", "!!! ??? ---"])
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_text_without_words_gives_an_empty_summary(algorithm: str, text: str) -> None:
    assert summarize(text, algorithm=algorithm).sentences == ()


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_single_sentence_is_its_own_summary(algorithm: str) -> None:
    text = "The bridge reopened on Friday."
    assert summarize(text, algorithm=algorithm).sentences == (text,)


def test_text_without_punctuation_becomes_one_sentence() -> None:
    text = "breaking news the river has flooded the old town and roads are closed"
    assert summarize(text).sentences == (text,)


def test_a_megabyte_article_is_summarised_from_its_opening() -> None:
    paragraph = (
        "The committee met again to discuss the harbour budget for next year. "
        "Members argued about the cost of new cranes and the dredging contract. "
        "A vote is expected before the end of the month.\n"
    )
    text = "".join(f"Day {index}. {paragraph}" for index in range(6000))
    assert len(text) > 1_000_000
    summary = summarize(text)
    assert 1 <= len(summary.sentences) <= 3


def test_html_markup_is_removed_before_summarising() -> None:
    html = (
        "<html><head><style>p {color: red}</style><script>var x = 1;</script></head><body>"
        "<h1>Port strike</h1><p>Dock workers walked out on Monday over pay.</p>"
        "<p>The union said talks with employers had failed.&nbsp;Ships are waiting in the bay.</p>"
        "<figure><img src='a.jpg'><figcaption>Workers at the gate.</figcaption></figure>"
        "</body></html>"
    )
    summary = summarize(html, algorithm="lead")
    assert summary.sentences == (
        "Dock workers walked out on Monday over pay.",
        "The union said talks with employers had failed.",
        "Ships are waiting in the bay.",
    )


def test_markdown_markup_is_removed_before_summarising() -> None:
    markdown = (
        "# Port strike\n\n"
        "Dock workers **walked out** on Monday over [pay](https://example.com/pay).\n\n"
        "> The union said talks with employers had failed.\n\n"
        "![a photo](https://example.com/a.jpg)\n"
        "- Ships are waiting in the bay today.\n"
    )
    summary = summarize(markdown, algorithm="lead")
    assert summary.sentences == (
        "Dock workers walked out on Monday over pay.",
        "The union said talks with employers had failed.",
        "Ships are waiting in the bay today.",
    )


def test_control_characters_are_dropped() -> None:
    text = (
        "Dock workers\x00 walked out\x1b on Monday over pay.\x07 "
        "Talks\u200b with the employers failed."
    )
    summary = summarize(text, algorithm="lead")
    assert summary.sentences == (
        "Dock workers walked out on Monday over pay.",
        "Talks with the employers failed.",
    )
