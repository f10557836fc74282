"""Plain text from the HTML fragments in feed items, and telling an HTML page by its start."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
_SKIPPED = frozenset({"script", "style", "noscript", "figure", "figcaption"})
_BLANKS = re.compile(r"[ \t\r\f\v]+")
_PARAGRAPHS = re.compile(r"\n\s*\n+")
_SNIFF_BYTES = 4096


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED and self._skipping:
            self._skipping -= 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment, one paragraph per line."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    text = _BLANKS.sub(" ", "".join(collector.parts))
    paragraphs = (part.strip() for part in _PARAGRAPHS.split(text))
    return "\n".join(" ".join(p.split()) for p in paragraphs if p)


def is_html_page(head: bytes) -> bool:
    """Whether a document's first bytes are an HTML page's (``<!DOCTYPE html>``, ``<html>``)."""
    lowered = head[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return lowered.startswith(b"<!doctype html") or b"<html" in lowered
