"""The seed format: article paragraphs, two or more blank lines, then one headline per line."""

from __future__ import annotations

import re
from collections.abc import Iterator

from storage.ingest.records import ArticleRecord, HeadlineRecord, Record

_GAP = re.compile(r"\n[ \t]*\n([ \t]*\n)+")


def parse_seed(text: str, *, source: str | None = None) -> Iterator[Record]:
    """One article (title derived from its first sentence) and the headlines after the gap.

    Without a gap of two or more blank lines the whole text is the article.
    """
    normalized = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    parts = _GAP.split(normalized, maxsplit=1)
    article_text = parts[0].strip()
    headline_block = parts[-1] if len(parts) > 1 else ""
    if article_text:
        yield ArticleRecord(text=article_text, source=source)
    for line in headline_block.split("\n"):
        if line.strip():
            yield HeadlineRecord(title=line.strip(), source=source)
