"""Inflating gzip and deflate data with a ceiling on the output, for downloads and files alike.

Bodies are decompressed here in steps, never in one call, so a few KB of gzip cannot expand in
memory past the limit (a gzip bomb).
"""

from __future__ import annotations

import zlib

from storage.errors import CompressedDataError, DecompressedTooLargeError, IngestErrorCode

__all__ = ["MAX_DECODED_BYTES", "Inflater", "decompress"]

# The most a downloaded page or feed may hold once decoded; a page read from bytes is held to
# the same limit, whatever its headers said.
MAX_DECODED_BYTES = 5 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


class Inflater:
    """Incremental decompression (of a Content-Encoding) with a ceiling on the decompressed size."""

    def __init__(self, encoding: str, limit: int) -> None:
        encoding = encoding.strip().lower()
        if encoding in {"", "identity"}:
            self._inflater = None
        elif encoding in {"gzip", "x-gzip", "deflate"}:
            # 32 + MAX_WBITS accepts both gzip and zlib headers.
            self._inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)
        else:
            raise CompressedDataError(
                IngestErrorCode.UNSUPPORTED_ENCODING,
                f"unsupported content encoding {encoding!r}",
                encoding=encoding,
            )
        self._limit = limit
        self.size = 0
        self.parts: list[bytes] = []

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self._limit:
            raise DecompressedTooLargeError(
                f"response larger than {self._limit} bytes", max_bytes=self._limit
            )
        self.parts.append(data)

    def feed(self, chunk: bytes) -> None:
        """Add the next chunk of the body; raises CompressedDataError."""
        if self._inflater is None:
            self._add(chunk)
            return
        data = chunk
        while data:
            try:
                out = self._inflater.decompress(data, self._limit - self.size + 1)
            except zlib.error as error:
                raise CompressedDataError(
                    IngestErrorCode.CORRUPT_COMPRESSED, f"corrupt compressed response: {error}"
                ) from error
            self._add(out)
            data = self._inflater.unconsumed_tail
            if self._inflater.eof and self._inflater.unused_data[:2] == _GZIP_MAGIC:
                # A gzip file may hold several members one after the other (`cat a.gz b.gz`).
                data = self._inflater.unused_data
                self._inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)

    @property
    def complete(self) -> bool:
        """False while a compressed stream has not reached its end (a truncated body)."""
        return self._inflater is None or self._inflater.eof

    def body(self) -> bytes:
        """Everything decompressed so far."""
        return b"".join(self.parts)


def decompress(data: bytes, *, limit: int) -> bytes:
    """Gzip (or zlib) ``data`` decompressed, raising DecompressedTooLargeError past ``limit``.

    For bodies compressed whatever their headers say, such as a downloaded ``.jsonl.gz``.
    """
    inflater = Inflater("gzip", limit)
    inflater.feed(data)
    if not inflater.complete:
        raise CompressedDataError(IngestErrorCode.CORRUPT_COMPRESSED, "truncated compressed data")
    return inflater.body()
