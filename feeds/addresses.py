"""Which network addresses the fetcher may contact: public ones, unless allowed otherwise.

``is_public`` does not rely on ``ipaddress``'s ``is_global`` alone: before the fix for
CVE-2024-4032 (Python 3.11.10, 3.12.4) it called 192.0.0.192, ``::127.0.0.1`` or
``64:ff9b::7f00:1`` global. The special-purpose ranges are listed here instead, from IANA's
IPv4 and IPv6 Special-Purpose Address Registries, and every IPv6 address outside global
unicast (2000::/3) is refused, which covers the IPv4-compatible and -translated forms.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable

import httpx

from feeds.errors import FetchErrorCode, UnsafeAddressError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

# Every range of the IPv4 registry, reachable or not: none of them serves news, and several
# (192.0.0.0/24, 198.18.0.0/15) are used inside operators' own networks.
_SPECIAL_IPV4 = tuple(
    ipaddress.IPv4Network(network)
    for network in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, cloud metadata
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation (TEST-NET-1)
        "192.31.196.0/24",  # AS112
        "192.52.193.0/24",  # AMT
        "192.88.99.0/24",  # former 6to4 relay anycast
        "192.168.0.0/16",  # private
        "192.175.48.0/24",  # AS112 direct delegation
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation (TEST-NET-2)
        "203.0.113.0/24",  # documentation (TEST-NET-3)
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the limited broadcast address
    )
)
# Global unicast is 2000::/3; everything outside it (loopback, ::a.b.c.d, ::ffff:0:a.b.c.d,
# NAT64 64:ff9b::/96 and 64:ff9b:1::/48, discard 100::/64, unique and link-local, multicast)
# is refused by that rule. These are the special ranges inside it.
_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
_SPECIAL_IPV6 = tuple(
    ipaddress.IPv6Network(network)
    for network in (
        "2001::/23",  # IETF protocol assignments, Teredo (2001::/32) among them
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4: a relay picks the route to the embedded IPv4 address
        "2620:4f:8000::/48",  # AS112 direct delegation
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing identifiers
    )
)


def is_public(address: IPAddress) -> bool:
    """True for globally routable unicast addresses (not loopback, private, link-local...)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        if address not in _GLOBAL_UNICAST or any(address in net for net in _SPECIAL_IPV6):
            return False
    elif any(address in network for network in _SPECIAL_IPV4):
        return False
    # A fixed Python knows ranges registered after this list was written.
    return address.is_global and not address.is_multicast


async def resolve(host: str, port: int) -> list[IPAddress]:
    """The addresses the system resolver gives for ``host`` (a literal address is itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise UnsafeAddressError(
            FetchErrorCode.UNRESOLVABLE_HOST, f"cannot resolve {host}: {error}"
        ) from error
    # The scope of a link-local IPv6 address ("fe80::1%eth0") is not part of the address.
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


class AddressPolicy:
    """Refuses URLs whose host resolves to a non-public address, unless allow-listed.

    The fetcher connects to the very addresses ``addresses_for`` checked (feeds.pinning), so
    a name server answering differently a moment later (DNS rebinding) changes nothing.
    ``resolver`` replaces the system resolver (tests give one whose answers change).
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        allowed_hosts: Iterable[str] = (),
        resolver: Resolver | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.allowed_hosts = frozenset(host.lower() for host in allowed_hosts)
        self.resolver = resolver or resolve

    def check_url(self, url: httpx.URL) -> None:
        """Raise UnsafeAddressError unless ``url`` is http(s) with a host (no lookup)."""
        if url.scheme not in {"http", "https"}:
            raise UnsafeAddressError(
                FetchErrorCode.INVALID_URL, f"only http and https URLs can be fetched, not {url}"
            )
        if not url.host:
            raise UnsafeAddressError(FetchErrorCode.INVALID_URL, f"no host in {url}")

    async def addresses_for(self, host: str, port: int) -> list[IPAddress]:
        """Resolve ``host`` once and return its addresses, or raise UnsafeAddressError."""
        addresses = await self.resolver(host, port)
        if not addresses:
            raise UnsafeAddressError(
                FetchErrorCode.UNRESOLVABLE_HOST, f"cannot resolve {host}: no addresses"
            )
        if self.allow_private or host.lower() in self.allowed_hosts:
            return addresses
        for address in addresses:
            if not is_public(address):
                raise UnsafeAddressError(
                    FetchErrorCode.NON_PUBLIC_ADDRESS, f"{host} is a non-public address ({address})"
                )
        return addresses

    async def check(self, url: httpx.URL) -> None:
        """Raise UnsafeAddressError unless ``url`` may be fetched (resolving its host)."""
        self.check_url(url)
        await self.addresses_for(url.host, url.port or (443 if url.scheme == "https" else 80))
