"""An httpx transport that connects only to addresses the policy checked, resolved once.

Checking a name and then letting the HTTP client resolve it again leaves a gap: a hostile name
server can answer with a public address for the check and a private one for the connection
(DNS rebinding). Here the check and the connection share one lookup: the network backend
resolves the host, checks every address, and opens the socket to a checked address itself.
The URL keeps the name, so the Host header, the TLS server name (SNI) and the certificate
check are unchanged. Every connection, to the first URL or a redirect's, goes through it.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpcore
import httpx

from feeds.addresses import AddressPolicy

__all__ = ["PinnedTransport"]


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._network = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._policy.addresses_for(host, port)
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return await self._network.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error  # a host with several addresses: try the next one
        assert failure is not None  # addresses_for never returns an empty list
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("newsbot fetches over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self._network.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (pooling, TLS, HTTP/1.1) over the pinned network backend.

    A client given a transport ignores the proxy variables of the environment, as it must
    here: a proxy would resolve the name itself, out of the policy's reach.
    """

    def __init__(self, policy: AddressPolicy) -> None:
        super().__init__()
        # httpx takes no network backend, so its connection pool is replaced by an identical
        # one with ours; the rest of the transport (requests, responses, errors) is httpx's.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_PinnedBackend(policy),
        )
