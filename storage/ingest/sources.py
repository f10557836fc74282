"""Sources to ingest: files, directories, standard input or downloaded bytes, format detected.

Detection looks at the name first (``.jsonl``, ``.jsonl.gz``, ``.xml``, ``.html``, ``.txt``...)
and then at the first bytes (gzip magic, ``{``, ``<rss``, ``<feed``, ``<html``). JSON Lines are
streamed line by line; the other formats are small documents read whole, up to a size limit.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from storage.errors import (
    CompressedDataError,
    DecompressedTooLargeError,
    IngestError,
    IngestErrorCode,
)
from storage.ingest.compression import decompress
from storage.ingest.encoding import decode_document
from storage.ingest.feeds import parse_feed
from storage.ingest.jsonl import MAX_LINE_BYTES, parse_jsonl
from storage.ingest.markup import is_html_page
from storage.ingest.page import parse_page
from storage.ingest.records import Record
from storage.ingest.seed import parse_seed

FORMATS = ("seed", "jsonl", "rss", "html")
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
_SNIFF_BYTES = 4096
_GZIP_MAGIC = b"\x1f\x8b"
_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".xml": "rss",
    ".rss": "rss",
    ".atom": "rss",
    ".html": "html",
    ".htm": "html",
    ".txt": "seed",
    ".text": "seed",
    ".seed": "seed",
}


@dataclass(frozen=True, slots=True)
class Source:
    """One source's name, detected format and (lazily parsed) records."""

    name: str
    format: str
    records: Iterable[Record]


def _extension_format(name: str) -> str | None:
    lowered = name.lower().removesuffix(".gz")
    return _EXTENSIONS.get(Path(lowered).suffix)


# Control characters other than tab, line feed, form feed and carriage return.
_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 12, 13, 27}


def _looks_binary(head: bytes) -> bool:
    # Text in any 8-bit encoding (Latin-1, Windows-1251, KOI8-R...) or UTF-8 has no NUL and
    # almost no control characters; images and archives are full of them.
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte in _CONTROL_BYTES)
    return controls > max(1, len(head) // 200)


def detect_format(name: str, head: bytes, *, content_type: str | None = None) -> str:
    """The format of a source from its name, content type and first bytes; raises IngestError."""
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not sample:
        raise IngestError(IngestErrorCode.EMPTY, f"{name}: empty file, nothing to ingest")
    by_name = _extension_format(name)
    lowered = sample[:_SNIFF_BYTES].lower()
    # JSON Lines are decoded a line at a time: a bad byte there spoils its line, not the file.
    lines_of_json = by_name == "jsonl" or (by_name is None and lowered.startswith((b"{", b"[")))
    binary = b"\x00" in head if lines_of_json else _looks_binary(head)
    if binary:
        raise IngestError(
            IngestErrorCode.BINARY,
            f"{name}: binary data, not news text (use --format to force one)",
        )
    if by_name:
        return by_name
    if lines_of_json:
        return "jsonl"
    if lowered.startswith(b"<"):
        if any(tag in lowered for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
            return "rss"
        if is_html_page(lowered):
            return "html"
        return "rss"
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind == "text/plain" or (not kind and ("://" in name or Path(name).suffix == "")):
        return "seed"
    raise IngestError(
        IngestErrorCode.UNKNOWN_FORMAT, f"{name}: unknown format (use --format {'|'.join(FORMATS)})"
    )


def _peek(stream: BinaryIO) -> bytes:
    peek = getattr(stream, "peek", None)
    if peek is None:
        raise IngestError(
            IngestErrorCode.UNREADABLE, "the input cannot be inspected before reading"
        )
    head: bytes = peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
    return head


def _read_document(stream: BinaryIO, name: str) -> bytes:
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise IngestError(
            IngestErrorCode.TOO_LARGE,
            f"{name}: larger than {MAX_DOCUMENT_BYTES} bytes; split it up",
            max_bytes=MAX_DOCUMENT_BYTES,
        )
    return data


def bounded_lines(stream: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[bytes]:
    """Lines of a binary stream; a line longer than ``limit`` is cut one byte past it.

    The cut line's length tells the parser it was too long, and a compressed file holding one
    endless line cannot fill the memory.
    """
    while line := stream.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(limit)) and not rest.endswith(b"\n"):
                pass
        yield line


def _jsonl_records(stream: BinaryIO, name: str, source: str | None) -> Iterator[Record]:
    # Lines stay bytes until json decodes them, so one bad byte spoils one line, not the file.
    return parse_jsonl(bounded_lines(stream), name=name, source=source)


def _document_records(
    data: bytes,
    name: str,
    fmt: str,
    *,
    url: str | None,
    source: str | None,
    content_type: str | None = None,
) -> Iterator[Record]:
    if fmt == "seed":
        text = decode_document(data, content_type=content_type, name=name).text
        if not text.strip():
            raise IngestError(IngestErrorCode.EMPTY, f"{name}: empty file, nothing to ingest")
        yield from parse_seed(text, source=source)
    elif fmt == "rss":
        yield from parse_feed(data, name=name, source=source, content_type=content_type).records
    elif fmt == "html":
        yield parse_page(data, name=name, url=url, source=source, content_type=content_type)
    else:
        raise IngestError(IngestErrorCode.UNKNOWN_FORMAT, f"{name}: unknown format {fmt!r}")


# What gzip raises for a truncated or corrupt archive, discovered only while reading it.
_DAMAGED_ARCHIVE = (EOFError, zlib.error, gzip.BadGzipFile)


def _stream_records(
    opener: Iterable[BinaryIO], name: str, fmt: str, source: str | None
) -> Iterator[Record]:
    try:
        for stream in opener:
            if fmt == "jsonl":
                yield from _jsonl_records(stream, name, source)
            else:
                data = _read_document(stream, name)
                yield from _document_records(data, name, fmt, url=None, source=source)
    except _DAMAGED_ARCHIVE as error:
        raise _damaged(name, error) from error


def _damaged(name: str, error: Exception) -> IngestError:
    return IngestError(
        IngestErrorCode.CORRUPT_COMPRESSED, f"{name}: truncated or corrupt gzip data ({error})"
    )


def _open_file(path: Path) -> Iterator[BinaryIO]:
    with path.open("rb") as raw:
        if raw.peek(2)[:2] == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw) as unpacked:
                yield cast(BinaryIO, unpacked)
        else:
            yield raw


def open_file(path: Path, *, fmt: str | None = None, source: str | None = None) -> Source:
    """A file source (gzip-compressed or not); the format is detected unless given."""
    name = str(path)
    try:
        for stream in _open_file(path):
            head = _peek(stream)
    except _DAMAGED_ARCHIVE as error:
        raise _damaged(name, error) from error
    except OSError as error:
        raise IngestError(
            IngestErrorCode.UNREADABLE, f"{name}: {error.strerror or error}"
        ) from error
    detected = fmt or detect_format(name, head)
    return Source(name, detected, _stream_records(_open_file(path), name, detected, source))


def open_stream(
    stream: BinaryIO, *, name: str = "<stdin>", fmt: str | None = None, source: str | None = None
) -> Source:
    """A source read from an already open binary stream, such as standard input."""
    buffered = stream
    if not hasattr(stream, "peek"):
        buffered = cast(BinaryIO, io.BufferedReader(cast(io.RawIOBase, stream)))
    if _peek(buffered)[:2] == _GZIP_MAGIC:
        buffered = cast(BinaryIO, gzip.GzipFile(fileobj=buffered))
    detected = fmt or detect_format(name, _peek(buffered))
    return Source(name, detected, _stream_records([buffered], name, detected, source))


def from_bytes(
    data: bytes,
    *,
    name: str,
    fmt: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
    source: str | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Source:
    """A source already in memory, such as a downloaded page or feed (at most ``max_bytes``)."""
    if data[:2] == _GZIP_MAGIC:
        # In steps with a ceiling: a few KB of gzip-in-gzip expand to gigabytes in one call.
        try:
            data = decompress(data, limit=max_bytes)
        except DecompressedTooLargeError as error:
            raise IngestError(
                IngestErrorCode.DECOMPRESSED_TOO_LARGE,
                f"{name}: larger than {max_bytes} bytes once decompressed",
                max_bytes=max_bytes,
            ) from error
        except CompressedDataError as error:
            raise IngestError(
                IngestErrorCode.CORRUPT_COMPRESSED, f"{name}: corrupt gzip data"
            ) from error
    detected = fmt or detect_format(name, data[:_SNIFF_BYTES], content_type=content_type)
    if detected == "jsonl":
        return Source(name, detected, _jsonl_records(io.BytesIO(data), name, source))
    records = _document_records(
        data, name, detected, url=url, source=source, content_type=content_type
    )
    return Source(name, detected, records)


def expand(arguments: Iterable[str]) -> list[str]:
    """Arguments with directories replaced by the visible files under them, sorted."""
    expanded: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if argument != "-" and "://" not in argument and path.is_dir():
            expanded.extend(
                str(child)
                for child in sorted(path.rglob("*"))
                if child.is_file()
                and not any(part.startswith(".") for part in child.relative_to(path).parts)
            )
        else:
            expanded.append(argument)
    return expanded
