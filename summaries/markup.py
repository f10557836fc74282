"""Turn whatever arrives (HTML, Markdown, text with control characters) into plain text."""

from __future__ import annotations

import html
import re
import unicodedata

_HTML_HINT = re.compile(
    r"<(?:[a-zA-Z][a-zA-Z0-9]*\b[^>]*|/[a-zA-Z][a-zA-Z0-9]*\s*|!--.*?--)>", re.S
)
_INVISIBLE_BLOCKS = re.compile(
    r"<(script|style|noscript|template|svg|figcaption|nav|aside|footer)\b.*?</\1\s*>",
    re.I | re.S,
)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BLOCK_BREAK = re.compile(
    r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr|/blockquote|/section|/article)\b[^>]*>", re.I
)
_TAG = re.compile(r"<[^>]{0,2000}>")

_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?", re.M)
_MD_BULLET = re.compile(r"^\s{0,3}(?:[-*+•]|\d{1,3}[.)])\s+", re.M)
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|~~|`+)(?=\S)(.+?)(?<=\S)\1")
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")

# Everything in Unicode category C (controls, format characters, unassigned) except line breaks
# and tabs, which carry paragraph structure.
_KEEP = {"\n", "\t"}


def _drop_control_characters(text: str) -> str:
    return "".join(char for char in text if char in _KEEP or unicodedata.category(char)[0] != "C")


def _strip_html(text: str) -> str:
    text = _COMMENT.sub(" ", text)
    text = _INVISIBLE_BLOCKS.sub(" ", text)
    text = _BLOCK_BREAK.sub("\n\n", text)
    text = _TAG.sub(" ", text)
    return html.unescape(text)


def _strip_markdown(text: str) -> str:
    text = _MD_IMAGE.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_RULE.sub("", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_BULLET.sub("", text)
    return _MD_EMPHASIS.sub(r"\2", text)


def to_plain_text(text: str) -> str:
    """Plain text with paragraphs separated by blank lines and no markup, links or controls."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _drop_control_characters(text)
    if _HTML_HINT.search(text):
        text = _strip_html(text)
    text = _strip_markdown(text)
    text = _URL.sub(" ", text)
    text = text.replace("\xa0", " ")
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
