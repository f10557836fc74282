"""Telegram's HTML parse mode: plain text, entities, and TDLib's reasons for refusing."""

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator import HtmlParseError, parse_html, utf16_length
from emulator.telegram_html import MessageTextError, parse_message_text


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        ("plain", "plain", []),
        ("<b>b</b><strong>s</strong>", "bs", [("bold", 0, 1), ("bold", 1, 1)]),
        (
            "<i>i</i><em>e</em><u>u</u><ins>n</ins>",
            "ieun",
            [("italic", 0, 1), ("italic", 1, 1), ("underline", 2, 1), ("underline", 3, 1)],
        ),
        (
            "<s>s</s><strike>t</strike><del>d</del>",
            "std",
            [("strikethrough", 0, 1), ("strikethrough", 1, 1), ("strikethrough", 2, 1)],
        ),
        (
            '<tg-spoiler>a</tg-spoiler><span class="tg-spoiler">b</span>',
            "ab",
            [("spoiler", 0, 1), ("spoiler", 1, 1)],
        ),
        ("<code>x = 1</code>", "x = 1", [("code", 0, 5)]),
        ("<blockquote>q</blockquote>", "q", [("blockquote", 0, 1)]),
        ("<B>upper</B>", "upper", [("bold", 0, 5)]),
        ("<b>outer <i>inner</i></b>", "outer inner", [("bold", 0, 11), ("italic", 6, 5)]),
        ("&lt;&gt;&amp;&quot;&#65;&#x42;", '<>&"AB', []),
        ("AT&T &nbsp; &copy &#X41; &#0;", "AT&T &nbsp; &copy &#X41; &#0;", []),
        ("&lt &amp&gt", "< &>", []),
        ("😀 <b>x</b>", "😀 x", [("bold", 3, 1)]),
        ("  <b>padded</b>\n\n", "padded", [("bold", 0, 6)]),
        ("<b></b>text", "text", []),
    ],
)
def test_html_becomes_plain_text_and_entities(html, text, entities):
    parsed = parse_html(html)
    assert parsed.text == text
    assert [(e["type"], e["offset"], e["length"]) for e in parsed.entities] == entities


def test_links_keep_their_decoded_href():
    parsed = parse_html('<a href="https://e.org/?a=1&amp;b=2">here</a>')
    assert parsed.entities == [
        {"type": "text_link", "offset": 0, "length": 4, "url": "https://e.org/?a=1&b=2"}
    ]


def test_a_user_link_is_a_text_mention():
    [entity] = parse_html('<a href="tg://user?id=42">Bob</a>').entities
    assert (entity["type"], entity["user"]) == ("text_mention", {"id": 42})


def test_pre_with_a_language_is_one_pre_entity():
    parsed = parse_html('<pre><code class="language-python">print(1)</code></pre>')
    assert parsed.entities == [{"type": "pre", "offset": 0, "length": 8, "language": "python"}]


def test_expandable_blockquote():
    [entity] = parse_html("<blockquote expandable>long</blockquote>").entities
    assert entity["type"] == "expandable_blockquote"


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("</b>", "Unexpected end tag at byte offset 0"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<p>para</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<br/>", 'Unsupported start tag "br/" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("é <b", "Unclosed start tag at byte offset 3"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href="x>y</a>', "Unclosed start tag at byte offset 0"),
        (
            "<a href>x</a>",
            'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0',
        ),
    ],
)
def test_invalid_html_is_refused_with_tdlibs_reason(html, reason):
    with pytest.raises(HtmlParseError) as raised:
        parse_html(html)
    assert raised.value.reason == reason
    assert str(raised.value) == f"can't parse entities: {reason}"


def test_utf16_length_counts_astral_characters_twice():
    assert utf16_length("abc") == 3
    assert utf16_length("😀") == 2
    assert utf16_length("é") == 1


def test_message_text_checks_use_the_bot_api_descriptions():
    assert parse_message_text("<b>ok</b>", "HTML").text == "ok"
    assert parse_message_text("<b>raw</b>", None).text == "<b>raw</b>"
    for text, description in [
        ("", "Bad Request: message text is empty"),
        ("<i> </i>", "Bad Request: message text is empty"),
        ("x" * 4097, "Bad Request: message is too long"),
        (
            "<b>x",
            "Bad Request: can't parse entities: "
            'Can\'t find end tag corresponding to start tag "b"',
        ),
    ]:
        with pytest.raises(MessageTextError) as raised:
            parse_message_text(text, "HTML")
        assert raised.value.description == description
    with pytest.raises(MessageTextError, match="unsupported parse_mode"):
        parse_message_text("x", "BBCode")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_escaped_text_always_parses_back_to_itself(text):
    assert parse_html(html.escape(text, quote=False)).text == text.strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/&;#x0a bi=\"'-spanhrefcodepre\n😀é"))))
def test_any_text_parses_or_is_refused_with_a_reason(text):
    try:
        parsed = parse_html(text)
    except HtmlParseError as error:
        assert error.reason
        return
    end = utf16_length(parsed.text)
    assert all(e["offset"] >= 0 and e["offset"] + e["length"] <= end for e in parsed.entities)
    assert all(e["length"] > 0 for e in parsed.entities)
