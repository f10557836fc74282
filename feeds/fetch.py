"""Fetching pages and feeds over HTTP with limits: timeout, body size, redirects, address policy.

Bodies are decompressed by storage.ingest.compression with a cap on the output, never by httpx,
so a small gzip bomb cannot expand in memory past ``max_bytes``.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from types import TracebackType
from typing import Self

import httpx

from feeds.addresses import AddressPolicy
from feeds.errors import (
    FetchError,
    FetchErrorCode,
    ResponseTooLargeError,
    UnsafeAddressError,
    decompression_as_fetch_errors,
)
from feeds.pinning import PinnedTransport
from storage.ingest.compression import MAX_DECODED_BYTES, Inflater

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 15.0
DEFAULT_MAX_BYTES = MAX_DECODED_BYTES
MAX_REDIRECTS = 5
USER_AGENT = "newsbot/0.1 (+https://github.com/newsbot; self-hosted news reader)"
_REDIRECTS = {301, 302, 303, 307, 308}
# Error statuses a reader can act on differently: fix the link, or find a public copy.
_STATUS_CODES = {
    404: FetchErrorCode.NOT_FOUND,
    410: FetchErrorCode.NOT_FOUND,
    401: FetchErrorCode.ACCESS_DENIED,
    403: FetchErrorCode.ACCESS_DENIED,
}


@dataclass(frozen=True, slots=True)
class FetchedResponse:
    """A response body (decompressed) or a 304 Not Modified, with its caching validators."""

    url: str
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional request."""
        return self.status == 304


class Fetcher:
    """An httpx.AsyncClient with the limits every newsbot download needs.

    Connections go only to addresses ``policy`` accepted (feeds.pinning), for the first URL
    and every redirect. A ``transport`` given instead (a test's fake network) bypasses that.
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        policy: AddressPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        # httpx's timeout bounds each read, so a server sending a byte now and then would
        # hold a download open for days: the whole response must also arrive within this.
        self.total_timeout = 2 * timeout
        self.policy = policy or AddressPolicy()
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            transport=transport or PinnedTransport(self.policy),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        )

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchedResponse:
        """GET ``url`` (conditionally when validators are given); raises FetchError."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            target = httpx.URL(url)
        except httpx.InvalidURL as error:
            raise FetchError(FetchErrorCode.INVALID_URL, f"invalid URL {url!r}: {error}") from error
        for _ in range(MAX_REDIRECTS + 1):
            self.policy.check_url(target)
            try:
                async with asyncio.timeout(self.total_timeout):
                    result = await self._get_once(target, headers)
            except UnsafeAddressError as error:
                # Raised when connecting, where the URL is not known.
                raise UnsafeAddressError(
                    error.code, f"refusing to fetch {target}: {error}", **error.values
                ) from error
            except (httpx.TimeoutException, TimeoutError) as error:
                raise FetchError(
                    FetchErrorCode.TIMEOUT,
                    f"timed out fetching {target}",
                    seconds=self.total_timeout,
                ) from error
            except httpx.ConnectError as error:
                raise FetchError(
                    FetchErrorCode.CONNECTION_FAILED, f"could not connect to {target}: {error}"
                ) from error
            except httpx.HTTPError as error:
                raise FetchError(
                    FetchErrorCode.CONNECTION_LOST, f"could not fetch {target}: {error}"
                ) from error
            if isinstance(result, httpx.URL):
                target = result
                continue
            return result
        raise FetchError(
            FetchErrorCode.TOO_MANY_REDIRECTS,
            f"too many redirects fetching {url}",
            limit=MAX_REDIRECTS,
        )

    async def _get_once(
        self, url: httpx.URL, headers: dict[str, str]
    ) -> FetchedResponse | httpx.URL:
        async with self._client.stream("GET", url, headers=headers) as response:
            if response.status_code in _REDIRECTS and "location" in response.headers:
                return url.join(response.headers["location"])
            if response.status_code == 304:
                return self._result(url, response, b"")
            if response.status_code >= 400:
                status = response.status_code
                code = _STATUS_CODES.get(status, FetchErrorCode.HTTP_STATUS)
                raise FetchError(code, f"HTTP {status} from {url}", status=status)
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise ResponseTooLargeError(
                    f"{url} is {declared} bytes, more than the {self.max_bytes} allowed",
                    limit=self.max_bytes,
                )
            with decompression_as_fetch_errors(self.max_bytes):
                inflater = Inflater(response.headers.get("content-encoding", ""), self.max_bytes)
                async for chunk in response.aiter_raw():
                    inflater.feed(chunk)
            return self._result(url, response, inflater.body())

    @staticmethod
    def _result(url: httpx.URL, response: httpx.Response, body: bytes) -> FetchedResponse:
        return FetchedResponse(
            url=str(url),
            status=response.status_code,
            body=body,
            content_type=response.headers.get("content-type"),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )
