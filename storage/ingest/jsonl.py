"""JSON Lines: one article object per line (``title``, ``text``, ``url``, ``published``, ...)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from storage.errors import IngestErrorCode
from storage.ingest.dates import parse_date
from storage.ingest.records import ArticleRecord, BadRecord, HeadlineRecord, Record

_DATE_FIELDS = ("published", "published_at", "date", "pubDate", "time")
# One record per line: a bound on a line bounds the memory a single record can take.
MAX_LINE_BYTES = 10 * 1024 * 1024


class _NotTextError(ValueError):
    """A field that must hold text holds a number, a list or an object."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def _text_field(item: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            return value
        if value is not None and not isinstance(value, str):
            # Saying "no title" of {"title": 5} would send the operator looking in vain.
            raise _NotTextError(
                f"{name!r} must be text, not {type(value).__name__} {value!r:.40}", field=name
            )
    return None


def _categories(item: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for name in ("categories", "tags", "topics", "topic", "category"):
        value = item.get(name)
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            found.extend(entry for entry in value if isinstance(entry, str))
    return tuple(found)


def record_from_object(item: Any, *, name: str, line: int, source: str | None) -> Record:
    """An article (or a bare headline when there is a title but no text) from one object."""
    location = f"{name}:{line}"
    if not isinstance(item, dict):
        return BadRecord(
            location, "expected a JSON object", IngestErrorCode.NOT_AN_OBJECT, {"line": line}
        )
    try:
        text = _text_field(item, "text", "content", "body", "article")
        title = _text_field(item, "title", "headline")
        url = _text_field(item, "url", "link")
        item_source = _text_field(item, "source", "site") or source
        language = _text_field(item, "language", "lang")
    except _NotTextError as error:
        values = {"line": line, "field": error.field}
        return BadRecord(location, str(error), IngestErrorCode.FIELD_NOT_TEXT, values)
    published = next(
        (parse_date(item[name]) for name in _DATE_FIELDS if item.get(name) is not None), None
    )
    if text is None:
        if title is None:
            return BadRecord(
                location,
                "no 'text' and no 'title'",
                IngestErrorCode.NO_TEXT_OR_TITLE,
                {"line": line},
            )
        return HeadlineRecord(title=title, url=url, source=item_source, published_at=published)
    return ArticleRecord(
        text=text,
        title=title,
        url=url,
        source=item_source,
        published_at=published,
        language=language,
        categories=_categories(item),
        image_url=_text_field(item, "image", "image_url"),
    )


def parse_jsonl(
    lines: Iterable[str | bytes], *, name: str, source: str | None = None
) -> Iterator[Record]:
    """Records from JSON Lines, streamed; a malformed line becomes a BadRecord with its number.

    A line longer than ``MAX_LINE_BYTES`` (which ``bounded_lines`` cuts one byte past the limit)
    is reported as too long, rather than as the malformed JSON its cut end makes it.
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        location = f"{name}:{number}"
        content = line.rstrip(b"\r\n") if isinstance(line, bytes) else line.rstrip("\r\n")
        if len(content) > MAX_LINE_BYTES:
            yield BadRecord(
                location,
                f"line longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB, the limit",
                IngestErrorCode.LINE_TOO_LONG,
                {"line": number, "max_bytes": MAX_LINE_BYTES},
            )
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            # json's messages end in "at" ("Unterminated string starting at"): name the place
            # first so it reads as one sentence.
            reason = error.msg.removesuffix(" at")
            yield BadRecord(
                location,
                f"malformed JSON at column {error.colno}: {reason}",
                IngestErrorCode.MALFORMED_JSON,
                {"line": number, "column": error.colno},
            )
            continue
        except UnicodeDecodeError as error:
            yield BadRecord(
                location,
                f"not UTF-8 text (byte {error.start + 1}: {error.reason})",
                IngestErrorCode.NOT_UTF8,
                {"line": number, "byte": error.start + 1},
            )
            continue
        yield record_from_object(item, name=name, line=number, source=source)
