"""``newsbot bench feeds``: polling headline-only feeds whose article pages must be fetched.

N local feeds (one host each: 127.0.0.2, 127.0.0.3, ...) of M headline-only items; every item
links to an article page on the same host, served with a fixed latency. One poll of all feeds
through the real poller, page fetcher (politeness included) and extractor. Reported: pages per
second, the most requests one host ever had in flight (politeness says 1), peak memory, and the
token F1 of each stored body against the text the page was built from.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections import Counter
from pathlib import Path

from aiohttp import web

from newsbot.benchmarks.report import peak_rss_mb, run_in_workdir

DESCRIPTION = "headline-only feeds: page fetching rate, politeness per host, extraction F1"
TARGET_PAGES_PER_SECOND = 20.0
TARGET_F1 = 0.9

_VOCABULARY = """
    council engineers bridge harbour repair traffic city budget minister report plan river
    workers union talks ships port election vote court judge police hospital doctors school
    teachers farmers prices energy power grid storm flood rain heat summer winter market
"""
_WORDS = _VOCABULARY.split()
_NAV = "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
_JUNK = (
    "<div class='cookie'>We use cookies to improve your experience. Accept all cookies</div>"
    "<div class='share'>Share on Facebook Share on Twitter Copy link</div>"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the feeds benchmark."""
    parser.add_argument(
        "--feeds", type=int, default=200, help="feeds, one host each (default: 200)"
    )
    parser.add_argument(
        "--items", type=int, default=20, help="headline-only items per feed (default: 20)"
    )
    parser.add_argument(
        "--latency-ms", type=float, default=50.0, help="server latency in ms (default: 50)"
    )
    parser.add_argument(
        "--host-delay",
        type=float,
        default=1.0,
        help="pause between requests to a host, seconds (default: 1.0)",
    )
    parser.add_argument("--workdir", type=Path, help="keep the database here (default: temp)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")


def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print a report; exit 1 when a target is missed."""
    return run_in_workdir(_bench, args, prefix="newsbot-bench-feeds-")


def _story(generator: random.Random, feed: int, item: int) -> tuple[str, list[str]]:
    title = f"Story {item} of site {feed}: {' '.join(generator.sample(_WORDS, 5))}"
    paragraphs = []
    for _ in range(6):
        sentences = []
        for _ in range(2):
            words = generator.choices(_WORDS, k=generator.randint(12, 20))
            sentences.append(" ".join(words).capitalize() + ", officials said on Monday.")
        paragraphs.append(" ".join(sentences))
    return title, paragraphs


class _Sites:
    """Feeds and pages for every host, and what the hosts saw."""

    def __init__(self, feeds: int, items: int, latency: float, seed: int) -> None:
        generator = random.Random(seed)
        self.latency = latency
        self.stories = {
            (feed, item): _story(generator, feed, item)
            for feed in range(feeds)
            for item in range(items)
        }
        self.items = items
        self.in_flight: Counter[str] = Counter()
        self.peak_per_host = 0
        self.pages_served = 0

    async def handle(self, request: web.Request) -> web.Response:
        host = request.host.split(":")[0]
        self.in_flight[host] += 1
        self.peak_per_host = max(self.peak_per_host, self.in_flight[host])
        try:
            await asyncio.sleep(self.latency)
            return self._answer(request, host)
        finally:
            self.in_flight[host] -= 1

    def _answer(self, request: web.Request, host: str) -> web.Response:
        feed = int(host.rsplit(".", 1)[1]) - 2
        base = f"http://{request.host}"
        if request.path == "/rss":
            items = "".join(
                f"<item><title>{self.stories[(feed, item)][0]}</title>"
                f"<link>{base}/story/{item}</link><description>Comments</description></item>"
                for item in range(self.items)
            )
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site {feed}'
            body += f"</title>{items}</channel></rss>"
            return web.Response(text=body, content_type="application/rss+xml")
        if request.path.startswith("/story/"):
            self.pages_served += 1
            title, paragraphs = self.stories[(feed, int(request.path.rsplit("/", 1)[1]))]
            text = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
            page = (
                f"<html><head><title>{title}</title></head><body>{_NAV}{_JUNK}"
                f"<article><h1>{title}</h1>{text}</article><footer>© Site</footer></body></html>"
            )
            return web.Response(text=page, content_type="text/html")
        raise web.HTTPNotFound()


async def _bench(args: argparse.Namespace, workdir: Path) -> int:
    from feeds import AddressPolicy, Fetcher
    from feeds.headline_pages import ArticlePages
    from feeds.polling import poll_due_feeds
    from storage import Store
    from storage.feeds import FeedEntry
    from summaries.evaluation import token_f1

    sites = _Sites(args.feeds, args.items, args.latency_ms / 1000, args.seed)
    app = web.Application()
    app.router.add_get("/{tail:.*}", sites.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    hosts = [f"127.0.0.{2 + feed}" for feed in range(args.feeds)]
    port = 0
    for host in hosts:
        site = web.TCPSite(runner, host, port)
        await site.start()
        port = port or runner.addresses[-1][1]
    store = await Store.open(workdir / "feeds.db")
    try:
        await store.feeds.add_many(FeedEntry(f"http://{host}:{port}/rss") for host in hosts)
        async with Fetcher(policy=AddressPolicy(allow_private=True)) as fetcher:
            pages = ArticlePages(fetcher, host_delay=args.host_delay)
            started = time.perf_counter()
            report = await poll_due_feeds(store, fetcher, pages=pages)
            elapsed = time.perf_counter() - started
        stored = await store.articles.latest(limit=args.feeds * args.items)
    finally:
        await store.close()
        await runner.cleanup()
    known = {
        f"http://127.0.0.{2 + feed}:{port}/story/{item}": "\n".join(story[1])
        for (feed, item), story in sites.stories.items()
    }
    scores = [token_f1(article.text, known[article.url]) for article in stored if article.url]
    mean_f1 = statistics.fmean(scores) if scores else 0.0
    rate = pages.fetched / elapsed if elapsed else 0.0
    print(
        f"{args.feeds} feeds x {args.items} headline-only items, {args.latency_ms:g} ms latency,"
        f" {args.host_delay:g} s between requests to a host"
    )
    print(
        f"polled {report.polled} feeds ({report.failed} failed) in {elapsed:.1f} s:"
        f" {pages.fetched} pages extracted, {pages.failed} failed, {report.new_articles} articles"
    )
    print(f"pages/s {rate:.1f} (target >= {TARGET_PAGES_PER_SECOND:g})")
    print(f"peak concurrent requests per host {sites.peak_per_host} (must be 1)")
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    print(
        f"extraction token F1, mean of {len(scores)} pages: {mean_f1:.3f} (target >= {TARGET_F1})"
    )
    ok = rate >= TARGET_PAGES_PER_SECOND and sites.peak_per_host == 1 and mean_f1 >= TARGET_F1
    return 0 if ok else 1
