"""Errors raised while fetching; messages name the URL and the cause, for an operator's log."""


class FetchError(Exception):
    """A page or feed could not be fetched (network error, HTTP error status, timeout)."""


class UnsafeAddressError(FetchError):
    """The URL points at an address the policy refuses (loopback, private, link-local...)."""


class ResponseTooLargeError(FetchError):
    """The response body (after decompression) exceeds the size limit."""
