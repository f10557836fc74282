"""A local news site serving the feed and page fixtures in tests/storage/feeds over real HTTP.

It records what a publisher would see: hits per path, User-Agents, and the most requests it
had in flight at once. Items are re-dated to the last hours so digests count them as new.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "feeds"
PAGES = sorted(path.stem for path in (FIXTURES / "pages").glob("*.html"))
_PUB_DATE = re.compile(r"<pubDate>[^<]*</pubDate>")


@dataclass
class NewsSite:
    """What the site serves and what it saw."""

    base_url: str = ""
    latency: float = 0.0
    pages_fail: bool = False
    robots: str | None = None
    hits: Counter[str] = field(default_factory=Counter)
    user_agents: set[str] = field(default_factory=set)
    peak_in_flight: int = 0
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def feed(self) -> bytes:
        text = (FIXTURES / "headlines.rss").read_text(encoding="utf-8")
        now = datetime.now(UTC)
        hours = iter(range(1, 100))
        text = _PUB_DATE.sub(
            lambda _: f"<pubDate>{format_datetime(now - timedelta(hours=next(hours)))}</pubDate>",
            text,
        )
        return text.replace("http://news.test", self.base_url).encode("utf-8")

    def answer(self, path: str) -> tuple[int, str, bytes]:
        if path == "/headlines.rss":
            return 200, "application/rss+xml", self.feed()
        if path == "/robots.txt" and self.robots is not None:
            return 200, "text/plain", self.robots.encode()
        page = FIXTURES / path.lstrip("/")
        if path.startswith("/pages/") and page.suffix == ".html" and page.is_file():
            if self.pages_fail:
                return 503, "text/plain", b"unavailable"
            return 200, "text/html", page.read_bytes()
        return 404, "text/plain", b"not found"


@contextmanager
def serving(site: NewsSite | None = None) -> Iterator[NewsSite]:
    """Serve ``site`` on 127.0.0.1 until the block ends."""
    site = site or NewsSite()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with site._lock:
                site.hits[self.path] += 1
                site.user_agents.add(self.headers.get("User-Agent", ""))
                site._in_flight += 1
                site.peak_in_flight = max(site.peak_in_flight, site._in_flight)
            try:
                if site.latency:
                    time.sleep(site.latency)
                status, kind, body = site.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            finally:
                with site._lock:
                    site._in_flight -= 1

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def known_text(page: str) -> str:
    """The story text of a fixture page, as written."""
    return (FIXTURES / "pages" / f"{page}.txt").read_text(encoding="utf-8")
