"""Bytes to text for feeds and pages: BOM, HTTP header, XML prolog, <meta charset>, detector.

The first of these that names a codec Python knows wins, in that order. Without any, or when
the named codec spoils more than a few bytes (a wrong declaration), charset-normalizer guesses.
Bytes that still do not decode become U+FFFD and are counted, never silently mis-read as
another encoding (a truncated UTF-8 feed must not turn into Latin-1 mojibake).
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_LOGGER = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_XML_PROLOG = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_SNIFF_BYTES = 4096
# A declared codec that leaves more than this share of undecodable bytes is a wrong declaration.
_MAX_DECLARED_ERRORS = 0.01


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from bytes, the codec used and how many bytes could not be decoded."""

    text: str
    encoding: str
    replaced: int


def _codec(name: str | bytes | None) -> str | None:
    if not name:
        return None
    label = name.decode("ascii", "ignore") if isinstance(name, bytes) else name
    try:
        return codecs.lookup(label.strip()).name
    except LookupError:
        return None


def declared_encoding(data: bytes, content_type: str | None = None) -> str | None:
    """The encoding a document declares: BOM, then HTTP header, XML prolog, <meta charset>."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    header = _HEADER_CHARSET.search(content_type or "")
    head = data[:_SNIFF_BYTES]
    prolog = _XML_PROLOG.search(head)
    meta = _META_CHARSET.search(head)
    for candidate in (
        header.group(1) if header else None,
        prolog.group(1) if prolog else None,
        meta.group(1) if meta else None,
    ):
        codec = _codec(candidate)
        if codec is not None:
            return codec
    return None


def _decode(data: bytes, encoding: str) -> DecodedText:
    try:
        return DecodedText(codecs.decode(data, encoding), encoding, 0)
    except UnicodeDecodeError:
        text = codecs.decode(data, encoding, "replace")
        # Each run of undecodable bytes is one U+FFFD; that is the count worth reporting.
        return DecodedText(text, encoding, text.count("\ufffd"))


def decode_document(
    data: bytes, *, content_type: str | None = None, name: str = "document"
) -> DecodedText:
    """``data`` as text, by declaration or detection; undecodable bytes are replaced and logged."""
    declared = declared_encoding(data, content_type)
    result: DecodedText | None = None
    if declared is not None:
        result = _decode(data, declared)
        if result.replaced > max(1, len(data) * _MAX_DECLARED_ERRORS):
            result = None
    if result is None:
        strict_utf8 = _decode(data, "utf-8")
        if strict_utf8.replaced == 0:
            result = strict_utf8
        else:
            guess = from_bytes(data[: 256 * 1024]).best()
            codec = _codec(guess.encoding) if guess is not None else None
            result = _decode(data, codec or "utf-8")
    if data.startswith(codecs.BOM_UTF8) or result.text.startswith("\ufeff"):
        result = DecodedText(result.text.removeprefix("\ufeff"), result.encoding, result.replaced)
    if result.replaced:
        _LOGGER.warning(
            "%s: %d undecodable byte sequences replaced (read as %s)",
            name,
            result.replaced,
            result.encoding,
        )
    return result


def as_utf8_xml(text: str) -> bytes:
    """A decoded XML document as UTF-8 bytes whose prolog says so, for feedparser."""
    return re.sub(
        r"^(\s*<\?xml[^>]*?encoding\s*=\s*)[\"'][\w.:-]+[\"']",
        r'\1"utf-8"',
        text,
        count=1,
        flags=re.IGNORECASE,
    ).encode("utf-8")
