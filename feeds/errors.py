"""Errors raised while fetching; messages name the URL and the cause, for an operator's log."""

from collections.abc import Iterator
from contextlib import contextmanager

from storage.errors import CompressedDataError, DecompressedTooLargeError


class FetchError(Exception):
    """A page or feed could not be fetched (network error, HTTP error status, timeout)."""


class UnsafeAddressError(FetchError):
    """The URL points at an address the policy refuses (loopback, private, link-local...)."""


class ResponseTooLargeError(FetchError):
    """The response body (after decompression) exceeds the size limit."""


@contextmanager
def decompression_as_fetch_errors() -> Iterator[None]:
    """Storage's decompression errors raised as the fetcher's own, with the same message.

    A downloaded body is inflated by storage.ingest.compression, which files on disk share; to
    the fetcher's callers a gzip bomb is a response too large, like any other.
    """
    try:
        yield
    except DecompressedTooLargeError as error:
        raise ResponseTooLargeError(str(error)) from error
    except CompressedDataError as error:
        raise FetchError(str(error)) from error
