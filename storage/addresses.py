"""Which network addresses the fetcher may contact: public ones, unless allowed otherwise."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import httpx

from storage.errors import UnsafeAddressError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: IPAddress) -> bool:
    """True for globally routable unicast addresses (not loopback, private, link-local...)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


class AddressPolicy:
    """Refuses URLs whose host resolves to a non-public address, unless allow-listed.

    The check resolves the name before the request; a resolver that answers differently a
    moment later (DNS rebinding) is not covered, which is acceptable for fetching news pages.
    """

    def __init__(self, *, allow_private: bool = False, allowed_hosts: Iterable[str] = ()) -> None:
        self.allow_private = allow_private
        self.allowed_hosts = frozenset(host.lower() for host in allowed_hosts)

    async def check(self, url: httpx.URL) -> None:
        """Raise UnsafeAddressError unless ``url`` may be fetched."""
        if url.scheme not in {"http", "https"}:
            raise UnsafeAddressError(f"only http and https URLs can be fetched, not {url}")
        host = url.host.lower()
        if not host:
            raise UnsafeAddressError(f"no host in {url}")
        if self.allow_private or host in self.allowed_hosts:
            return
        for address in await self._resolve(
            host, url.port or (443 if url.scheme == "https" else 80)
        ):
            if not is_public(address):
                raise UnsafeAddressError(
                    f"refusing to fetch {url}: {host} is a non-public address ({address})"
                )

    @staticmethod
    async def _resolve(host: str, port: int) -> list[IPAddress]:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except OSError as error:
            raise UnsafeAddressError(f"cannot resolve {host}: {error}") from error
        return [ipaddress.ip_address(info[4][0]) for info in infos]
