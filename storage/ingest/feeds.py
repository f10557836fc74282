"""RSS 2.0 and Atom via feedparser: full items become articles, short ones headlines."""

from __future__ import annotations

import calendar
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from storage.errors import IngestError, IngestErrorCode
from storage.ingest.encoding import as_utf8_xml, decode_document
from storage.ingest.markup import html_to_text, is_html_page
from storage.ingest.records import ArticleRecord, HeadlineRecord, Record
from storage.ingest.titles import clean_title
from storage.text import title_key

# An item whose text has fewer words than this is a teaser, not an article.
MIN_ARTICLE_WORDS = 80
# Fewer words are a link label ("Comments", "Read more"), not a teaser worth keeping.
MIN_TEASER_WORDS = 4
# Byte-order marks of the encodings whose text is full of NUL bytes.
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's own title and its items as records."""

    title: str | None
    records: list[Record]


def _time(entry: Any, *names: str) -> datetime | None:
    for name in names:
        parsed = entry.get(name)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    return None


def _entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    bodies = [content.get("value", "") for content in contents if content.get("value")]
    body = max(bodies, key=len) if bodies else entry.get("summary", "")
    return html_to_text(body) if body else ""


def parse_feed(
    data: bytes,
    *,
    name: str,
    source: str | None = None,
    extra_categories: tuple[str, ...] = (),
    content_type: str | None = None,
) -> ParsedFeed:
    """Parse a feed document; raises IngestError when it is not a feed at all."""
    if b"\x00" in data and not data.startswith(_WIDE_BOMS):
        raise IngestError(IngestErrorCode.BINARY, f"{name}: not an RSS or Atom feed (binary data)")
    # Decoded here, not by feedparser, so every path reads legacy encodings the same way.
    decoded = decode_document(data, content_type=content_type, name=name)
    try:
        # A file-like object: given bytes or text, feedparser first tries them as a file name or
        # URL, so a feed whose body is "/etc/some.xml" or "/dev/zero" would be read from disk.
        parsed = feedparser.parse(io.BytesIO(as_utf8_xml(decoded.text)))
    except (ValueError, LookupError) as error:
        # feedparser trusts the document's encoding declaration: a bogus one (a NUL byte, an
        # undecodable or unknown name) raises instead of being reported as bozo.
        raise IngestError(
            IngestErrorCode.NOT_A_FEED, f"{name}: not an RSS or Atom feed ({error})"
        ) from error
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        # A site's home page is the commonest wrong address: its reader is told to look on it
        # for the feed's link.
        code = (
            IngestErrorCode.WEB_PAGE_NOT_A_FEED
            if is_html_page(data)
            else IngestErrorCode.NOT_A_FEED
        )
        raise IngestError(code, f"{name}: not an RSS or Atom feed{detail}")
    feed_title = parsed.feed.get("title") or None
    item_source = source or feed_title
    language = parsed.feed.get("language") or None
    return ParsedFeed(feed_title, list(_records(parsed, item_source, language, extra_categories)))


def _image_url(entry: Any) -> str | None:
    """The lead image: media:content or media:thumbnail, else an image enclosure."""
    for media in (*entry.get("media_content", ()), *entry.get("media_thumbnail", ())):
        kind = f"{media.get('medium', '')} {media.get('type', '')}"
        if media.get("url") and ("image" in kind or kind.strip() == ""):
            return str(media["url"])
    for enclosure in entry.get("enclosures", ()):
        if str(enclosure.get("type", "")).startswith("image/") and enclosure.get("href"):
            return str(enclosure["href"])
    return None


def _records(
    parsed: Any, source: str | None, language: str | None, extra_categories: tuple[str, ...]
) -> Iterator[Record]:
    for entry in parsed.entries:
        title = clean_title(html_to_text(entry.get("title", "")), site=source) or None
        link = entry.get("link") or None
        published = _time(entry, "published_parsed", "updated_parsed", "created_parsed")
        text = _entry_text(entry)
        categories = (
            tuple(tag["term"] for tag in entry.get("tags", []) if tag.get("term"))
            + extra_categories
        )
        if len(text.split()) >= MIN_ARTICLE_WORDS:
            yield ArticleRecord(
                text=text,
                title=title,
                url=link,
                source=source,
                published_at=published,
                language=language,
                categories=categories,
                image_url=_image_url(entry),
            )
        elif title:
            yield HeadlineRecord(
                title=title,
                url=link,
                source=source,
                published_at=published,
                summary=_teaser(text, title),
                language=language,
                categories=categories,
            )


def _teaser(text: str, title: str) -> str:
    """A short item's text as its teaser, unless it only repeats the title or is a link label."""
    if title_key(text) == title_key(title) or len(text.split()) < MIN_TEASER_WORDS:
        return ""
    return text
