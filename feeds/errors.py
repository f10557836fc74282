"""Errors raised while fetching: a code and values for readers, an English message for logs.

``str(error)`` names the URL and the cause, for an operator's log and the CLI. Readers see
neither: bot/fetch_errors.py words each ``FetchErrorCode`` in the reader's language with the
error's ``values``, and feeds holds no reader's words.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum

from storage.errors import CompressedDataError, DecompressedTooLargeError


class FetchErrorCode(Enum):
    """Why a page or feed could not be fetched; bot/ words each for readers."""

    INVALID_URL = "invalid-url"  # unparsable, not http(s), or without a host
    UNRESOLVABLE_HOST = "unresolvable-host"  # the name has no address (DNS)
    NON_PUBLIC_ADDRESS = "non-public-address"  # loopback, private, link-local, metadata...
    CONNECTION_FAILED = "connection-failed"  # refused, unreachable, TLS handshake failed
    CONNECTION_LOST = "connection-lost"  # the answer broke off or was not HTTP
    TIMEOUT = "timeout"  # values: seconds
    NOT_FOUND = "not-found"  # HTTP 404 or 410; values: status
    ACCESS_DENIED = "access-denied"  # HTTP 401 or 403; values: status
    HTTP_STATUS = "http-status"  # any other error status; values: status
    TOO_MANY_REDIRECTS = "too-many-redirects"  # values: limit
    TOO_LARGE = "too-large"  # values: limit (bytes, after decompression)
    BAD_ENCODING = "bad-encoding"  # corrupt compressed body, or an unknown encoding
    NOT_A_PAGE = "not-a-page"  # an article was wanted; values: content_type
    NO_ARTICLE_TEXT = "no-article-text"  # a web page without readable text


class FetchError(Exception):
    """A page or feed could not be fetched (network error, HTTP error status, timeout).

    ``code`` says why and ``values`` hold the details a reader's message needs (a status, a
    limit); the message is for logs.
    """

    def __init__(self, code: FetchErrorCode, message: str, **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


class UnsafeAddressError(FetchError):
    """The URL points at an address the policy refuses (loopback, private, link-local...)."""


class ResponseTooLargeError(FetchError):
    """The response body (after decompression) exceeds the size limit."""

    def __init__(self, message: str, *, limit: int) -> None:
        super().__init__(FetchErrorCode.TOO_LARGE, message, limit=limit)


@contextmanager
def decompression_as_fetch_errors(limit: int) -> Iterator[None]:
    """Storage's decompression errors raised as the fetcher's own, with the same message.

    A downloaded body is inflated by storage.ingest.compression, which files on disk share; to
    the fetcher's callers a gzip bomb is a response too large (over ``limit`` bytes), like any
    other.
    """
    try:
        yield
    except DecompressedTooLargeError as error:
        raise ResponseTooLargeError(str(error), limit=limit) from error
    except CompressedDataError as error:
        raise FetchError(FetchErrorCode.BAD_ENCODING, str(error)) from error
