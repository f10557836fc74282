"""`newsbot ingest URL` against a hostile server: local file names as bodies, gzip-in-gzip."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from newsbot.cli import main
from storage.ingest.sources import MAX_DOCUMENT_BYTES

SECRET_TITLE = "LOCAL FILE item the publisher must never see"


class Bodies(BaseHTTPRequestHandler):
    """Answers each path with the bytes and headers the test put in ``routes``."""

    routes: ClassVar[dict[str, tuple[bytes, dict[str, str]]]] = {}

    def do_GET(self) -> None:
        body, headers = self.routes.get(self.path, (b"", {}))
        self.send_response(200 if self.path in self.routes else 404)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean."""


@pytest.fixture
def server() -> Iterator[tuple[str, dict[str, tuple[bytes, dict[str, str]]]]]:
    routes: ClassVar[dict[str, tuple[bytes, dict[str, str]]]] = {}
    handler = type("Handler", (Bodies,), {"routes": routes})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", routes
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_a_feed_body_naming_a_local_file_is_refused_not_read(
    tmp_path: Path, server: tuple[str, dict[str, tuple[bytes, dict[str, str]]]], capsys
) -> None:
    base, routes = server
    local = tmp_path / "feed.xml"
    local.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>LOCAL FILE</title>'
        f"<item><title>{SECRET_TITLE}</title><link>https://local.example/1</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    routes["/rss"] = (str(local).encode(), {"Content-Type": "application/rss+xml"})
    db = str(tmp_path / "cli.db")

    status = main(["ingest", f"{base}/rss", "--format", "rss", "--allow-private", "--db", db])

    assert status == 2
    assert "not an RSS or Atom feed" in capsys.readouterr().err
    assert main(["search", "LOCAL", "--db", db]) == 0
    assert SECRET_TITLE not in capsys.readouterr().out


def test_gzip_in_gzip_is_stopped_at_the_size_limit(
    tmp_path: Path, server: tuple[str, dict[str, tuple[bytes, dict[str, str]]]], capsys
) -> None:
    base, routes = server
    # The server's Content-Encoding layer is undone by the fetcher (capped); the inner archive
    # is a .jsonl.gz a few KB long that expands to 64 MB, past the 50 MB a document may have.
    inner = gzip.compress(b"\n" * (64 * 1024 * 1024), compresslevel=9)
    assert len(inner) < 100_000
    routes["/news.jsonl.gz"] = (gzip.compress(inner), {"Content-Encoding": "gzip"})
    db = str(tmp_path / "cli.db")

    status = main(["ingest", f"{base}/news.jsonl.gz", "--allow-private", "--db", db])

    assert status == 2
    error = capsys.readouterr().err.strip()
    assert error.endswith(f"larger than {MAX_DOCUMENT_BYTES} bytes once decompressed")
    assert len(error.splitlines()) == 1


def test_a_small_gzip_download_is_still_ingested(
    tmp_path: Path, server: tuple[str, dict[str, tuple[bytes, dict[str, str]]]], capsys
) -> None:
    base, routes = server
    routes["/news.jsonl.gz"] = (
        gzip.compress(b'{"title": "Quay reopens", "text": "The quay reopened today."}\n'),
        {"Content-Type": "application/gzip"},
    )
    db = str(tmp_path / "cli.db")

    assert main(["ingest", f"{base}/news.jsonl.gz", "--allow-private", "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("1 new (1 article,")
