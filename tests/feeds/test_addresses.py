"""The address policy: special-purpose ranges refused whatever this Python's ``is_global`` says,
and connections made only to the address that was checked (no DNS rebinding)."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from feeds import FetchError, UnsafeAddressError
from feeds.addresses import AddressPolicy, IPAddress, is_public
from feeds.fetch import Fetcher
from tests.local_server import LocalServer

REFUSED = [
    # the ones CVE-2024-4032 let through as global on unfixed Pythons
    "192.0.0.192",
    "2002:7f00:1::",  # 6to4 around 127.0.0.1
    "::127.0.0.1",  # IPv4-compatible
    "64:ff9b::7f00:1",  # NAT64 around 127.0.0.1
    "::ffff:0:7f00:1",  # IPv4-translated
    # and the rest of the special-purpose registries
    "0.1.2.3",
    "10.0.0.1",
    "100.64.0.1",
    "127.0.0.1",
    "169.254.169.254",
    "172.16.5.4",
    "192.0.0.9",
    "192.0.2.1",
    "192.88.99.1",
    "192.168.1.1",
    "198.18.0.1",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.251",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "64:ff9b:1::a00:1",  # local-use NAT64
    "64:ff9b::808:808",  # NAT64, even around a public address: the translator is local
    "100::1",  # discard-only
    "2001::1",  # Teredo
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo around a public server
    "2001:2::1",  # benchmarking
    "2001:db8::1",
    "2002:a00:1::",  # 6to4 around 10.0.0.1
    "2002:c0a8:101::1",  # 6to4 around 192.168.1.1
    "3fff::1",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fec0::1",
    "ff02::1",
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::200e"]


@pytest.mark.parametrize("address", REFUSED)
def test_special_purpose_addresses_are_not_public(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_ordinary_global_addresses_are_public(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["192.0.0.192", "2002:7f00:1::", "::127.0.0.1"])
async def test_a_name_resolving_to_a_special_address_is_refused(address: str) -> None:
    async def resolver(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address(address)]

    async with Fetcher(policy=AddressPolicy(resolver=resolver)) as fetcher:
        with pytest.raises(UnsafeAddressError, match="non-public address"):
            await fetcher.get("http://news.example/")


class Rebinding:
    """A name server answering ``first`` to the first question and ``then`` to every later one."""

    def __init__(self, first: str, then: str) -> None:
        self.answers = [ipaddress.ip_address(first), ipaddress.ip_address(then)]
        self.questions: list[str] = []

    async def __call__(self, host: str, port: int) -> list[IPAddress]:
        self.questions.append(host)
        return [self.answers[min(len(self.questions), 2) - 1]]


@pytest.fixture
async def rebound_server(local_server: LocalServer) -> AsyncIterator[int]:
    """A second server on 127.0.0.2 (loopback too) on the same port as ``local_server``, so
    only the address tells them apart: where a rebound name would lead."""

    async def secret(request: web.Request) -> web.Response:
        return web.Response(text="the rebound server")

    port = int(local_server.base_url.rsplit(":", 1)[1])
    app = web.Application()
    app.router.add_get("/{tail:.*}", secret)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.2", port).start()
    except OSError as error:
        await runner.cleanup()
        pytest.skip(f"cannot listen on 127.0.0.2:{port} ({error})")
    try:
        yield port
    finally:
        await runner.cleanup()


async def test_the_connection_goes_to_the_address_that_was_checked(
    local_server: LocalServer, rebound_server: int
) -> None:
    async def page(request: web.Request) -> web.Response:
        return web.Response(text=f"checked server, asked for {request.host}")

    local_server.routes["/page"] = page
    resolver = Rebinding("127.0.0.1", "127.0.0.2")
    policy = AddressPolicy(allowed_hosts=["news.example"], resolver=resolver)

    async with Fetcher(policy=policy) as fetcher:
        response = await fetcher.get(f"http://news.example:{rebound_server}/page")

    # The Host header keeps the name; the name was looked up once.
    assert response.body == f"checked server, asked for news.example:{rebound_server}".encode()
    assert resolver.questions == ["news.example"]


async def test_a_name_rebound_to_loopback_after_the_check_is_never_contacted(
    local_server: LocalServer,
) -> None:
    local_server.routes["/admin"] = lambda request: _reached()
    port = local_server.base_url.rsplit(":", 1)[1]
    # First a public address (unreachable here: the connection fails or times out), then
    # the loopback address where the local server listens.
    resolver = Rebinding("93.184.216.34", "127.0.0.1")

    async with Fetcher(policy=AddressPolicy(resolver=resolver), timeout=0.5) as fetcher:
        with pytest.raises(FetchError):
            await fetcher.get(f"http://rebind.example:{port}/admin")
        with pytest.raises(UnsafeAddressError, match=r"non-public address \(127\.0\.0\.1\)"):
            await fetcher.get(f"http://rebind.example:{port}/admin")

    assert local_server.hits.get("/admin", 0) == 0


async def _reached() -> web.Response:
    raise AssertionError("the rebound address was contacted")


async def test_every_redirect_hop_is_resolved_and_checked(local_server: LocalServer) -> None:
    async def hop(request: web.Request) -> web.Response:
        raise web.HTTPFound(f"http://inside.example:{request.url.port}/secret")

    local_server.routes["/hop"] = hop
    local_server.routes["/secret"] = lambda request: _reached()
    port = local_server.base_url.rsplit(":", 1)[1]

    async def resolver(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address("127.0.0.1")]

    policy = AddressPolicy(allowed_hosts=["outside.example"], resolver=resolver)
    async with Fetcher(policy=policy) as fetcher:
        with pytest.raises(UnsafeAddressError, match=r"inside\.example"):
            await fetcher.get(f"http://outside.example:{port}/hop")
    assert local_server.hits == {"/hop": 1}
