"""A single web page: main text, title and date extracted with trafilatura."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from trafilatura.settings import use_config

from storage.errors import IngestError, IngestErrorCode
from storage.ingest.compression import MAX_DECODED_BYTES, decompress
from storage.ingest.dates import parse_date
from storage.ingest.encoding import decode_document
from storage.ingest.records import ArticleRecord
from storage.ingest.titles import clean_title

# Photos with their captions and credits, and share bars, are never the story; trafilatura
# keeps some figure captions as paragraphs, so they go before it reads the page.
_NOT_STORY = re.compile(r"<(figure|figcaption|picture)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)

# trafilatura decompresses gzip, zstd, brotli and deflate bodies whatever the headers said, up
# to 20 MB by default: a 84 KB gzip page served as text/html grew to 20 MB. A page may not be
# larger decoded than a download may be.
_TRAFILATURA = use_config()
_TRAFILATURA.set("DEFAULT", "MAX_FILE_SIZE", str(MAX_DECODED_BYTES))
# Some servers send a gzip file as text/html with no Content-Encoding; browsers read it, so we
# do too, but inflate it ourselves within the download cap before decoding its characters.
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """What trafilatura found on a page."""

    title: str | None
    text: str
    published_at: datetime | None
    site: str | None
    image_url: str | None = None  # og:image


def _field(document: dict[str, Any], name: str) -> str | None:
    value = document.get(name)
    return value if isinstance(value, str) and value.strip() else None


def extract_page(
    html: str | bytes, *, url: str | None = None, content_type: str | None = None
) -> ExtractedPage | None:
    """Main text and metadata of an HTML page, or None when there is no article text."""
    if isinstance(html, bytes):
        if html.startswith(_GZIP_MAGIC):
            html = decompress(html, limit=MAX_DECODED_BYTES)
        html = decode_document(html, content_type=content_type, name=url or "page").text
    html = _NOT_STORY.sub(" ", html)
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        config=_TRAFILATURA,
    )
    if document is None:
        return None
    if not isinstance(document, dict):
        document = document.as_dict()
    text = _field(document, "text") or ""
    title = _field(document, "title")
    lines = text.split("\n")
    # trafilatura keeps the page's h1 as the first line; it is the title, not body text.
    if title and lines and lines[0].strip() == title.strip():
        text = "\n".join(lines[1:])
    if not text.strip():
        return None
    site = _field(document, "sitename") or (urlsplit(url).hostname if url else None)
    if title:
        title = clean_title(title, site=site)
    return ExtractedPage(
        title, text.strip(), parse_date(_field(document, "date")), site, _field(document, "image")
    )


def parse_page(
    html: str | bytes,
    *,
    name: str,
    url: str | None = None,
    source: str | None = None,
    content_type: str | None = None,
) -> ArticleRecord:
    """One article from a page; raises IngestError when no article text is found."""
    page = extract_page(html, url=url, content_type=content_type)
    if page is None:
        raise IngestError(
            IngestErrorCode.NO_ARTICLE_TEXT, f"{name}: no article text found in the HTML page"
        )
    return ArticleRecord(
        text=page.text,
        title=page.title,
        url=url,
        source=source or page.site,
        published_at=page.published_at,
        image_url=page.image_url,
    )
