"""Plain text from HTML, Markdown and text with control characters."""

from summaries.markup import to_plain_text


def test_html_paragraphs_become_lines_and_scripts_disappear() -> None:
    html = "<p>First &amp; foremost.</p><script>alert(1)</script><p>Second<br>line.</p>"
    assert to_plain_text(html) == "First & foremost.\n\nSecond\n\nline."


def test_markdown_links_keep_their_text_and_images_go() -> None:
    markdown = "See [the report](https://example.com) ![chart](chart.png) for **details**."
    assert to_plain_text(markdown) == "See the report for details."


def test_bare_urls_are_removed() -> None:
    assert to_plain_text("Read it at https://example.com/a?b=c today.") == "Read it at today."


def test_control_characters_go_and_line_breaks_stay() -> None:
    assert to_plain_text("One\x00 two\r\nthree\x1b four") == "One two\nthree four"


def test_a_less_than_sign_in_prose_is_not_taken_for_html() -> None:
    assert to_plain_text("Inflation was < 2 percent and > 1 percent.") == (
        "Inflation was < 2 percent and > 1 percent."
    )
