"""`newsbot ingest`, `search`, `related` and `feeds` as a user runs them."""

import functools
import io
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsbot.cli import main
from tests.storage.news_site import FIXTURES as FEED_FIXTURES
from tests.storage.news_site import PAGES
from tests.storage.news_site import serving as news_site

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "000_e15c51a351289eed.txt"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def test_ingesting_twice_prints_0_new_the_second_time(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(SEED), "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("18 new (1 articles, 17 headlines)")
    assert main(["ingest", str(SEED), "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("0 new")


def test_a_malformed_line_exits_2_with_one_line_naming_file_and_line(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Good."}\n{broken\n', encoding="utf-8")
    assert main(["ingest", str(bad), "--db", db]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0
    assert f"{bad}:2: malformed JSON" in error
    assert main(["search", "good", "--db", db]) == 0
    assert "no matches" in capsys.readouterr().out


def test_skip_bad_loads_the_rest_and_lists_the_bad(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Good."}\n{broken\n', encoding="utf-8")
    assert main(["ingest", str(bad), "--skip-bad", "--db", db]) == 0
    captured = capsys.readouterr()
    assert f"skipped {bad}:2" in captured.err
    assert captured.out.splitlines()[-1].startswith("1 new")


def test_unknown_format_exits_2(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = tmp_path / "slides.pdf"
    odd.write_bytes(b"%PDF-1.4 \x00\x01 binary")
    assert main(["ingest", str(odd), "--db", db]) == 2
    assert "binary data" in capsys.readouterr().err


def test_stdin_is_a_source(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(
        io.BufferedReader(io.BytesIO(b'{"title": "Piped", "text": "Via stdin."}\n'))
    )
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["ingest", "-", "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("1 new")


def test_search_and_related_on_the_seed(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["ingest", str(SEED), "--db", db])
    capsys.readouterr()
    assert main(["search", "Bakhmut", "--limit", "1", "--db", db]) == 0
    assert "1. [1] A top Ukrainian general" in capsys.readouterr().out
    assert main(["related", "1", "--limit", "3", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert all("Peace Talks" in line for line in lines[1:])


def test_related_of_an_unknown_article_exits_1(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["related", "99", "--db", db]) == 1
    assert "no article 99" in capsys.readouterr().err


def test_feeds_add_list_export_remove(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feeds", "--db", db, "add", "https://a.example/rss", "--topic", "Trams"]) == 0
    assert main(["feeds", "--db", db, "list"]) == 0
    assert main(["feeds", "--db", db, "export"]) == 0
    assert main(["feeds", "--db", db, "remove", "1"]) == 0
    assert main(["feeds", "--db", db, "remove", "1"]) == 1
    out = capsys.readouterr().out
    assert "added: [1] https://a.example/rss" in out
    assert "[1] https://a.example/rss topic=trams" in out
    assert 'xmlUrl="https://a.example/rss"' in out


@pytest.fixture
def served_directory(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on 127.0.0.1 serving a directory, on its own thread."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean."""


def test_a_url_is_fetched_and_ingested_when_private_addresses_are_allowed(
    db: str, served_directory: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base, root = served_directory
    (root / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
        "<item><title>Quay reopens</title><link>https://q.example/1</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    assert main(["ingest", f"{base}/feed.xml", "--db", db]) == 2
    assert "non-public address" in capsys.readouterr().err
    assert main(["ingest", f"{base}/feed.xml", "--allow-private", "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("1 new (0 articles, 1 headlines)")


def test_a_directory_ingests_every_visible_file(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "inbox"
    (folder / "nested").mkdir(parents=True)
    (folder / "a.jsonl").write_text('{"title": "A", "text": "Alpha text."}\n', encoding="utf-8")
    (folder / "nested" / "b.txt").write_text("Beta text.\n\n\nBeta headline\n", encoding="utf-8")
    (folder / ".hidden.jsonl").write_text("not json\n", encoding="utf-8")
    assert main(["ingest", str(folder), "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("3 new (2 articles, 1 headlines)")


def test_bench_storage_runs_small(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["bench", "storage", "--articles", "300", "--headlines", "300", "--queries", "5"]
    main([*arguments, "--workdir", str(tmp_path)])
    report = capsys.readouterr().out
    for line in ("ingest BBC JSONL", "start-up", "search", "topic: latest", "related headlines"):
        assert line in report


def test_a_file_that_is_not_a_database_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("shopping list: milk, eggs, bread " * 100, encoding="utf-8")
    assert main(["search", "milk", "--db", str(not_a_database)]) == 1
    assert "file is not a database" in capsys.readouterr().err


def test_a_feed_in_a_legacy_encoding_is_ingested(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(FEED_FIXTURES / "latin1.rss"), "--db", db]) == 0
    assert "1 new headlines" in capsys.readouterr().out
    assert main(["search", "Bäckerei", "--db", db]) == 0
    assert "Zürich: Bäckerei öffnet wieder, Grüße aus Köln" in capsys.readouterr().out


def test_ingesting_a_headline_feed_fetches_its_pages_unless_told_not_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with news_site() as site:
        feed = site.url("/headlines.rss")
        fetched, bare = str(tmp_path / "fetched.db"), str(tmp_path / "bare.db")
        assert main(["ingest", feed, "--allow-private", "--db", fetched]) == 0
        assert "3 new articles, 0 new headlines" in capsys.readouterr().out
        assert main(["ingest", feed, "--allow-private", "--no-fetch-pages", "--db", bare]) == 0
        assert "0 new articles, 3 new headlines" in capsys.readouterr().out
    assert sum(site.hits[f"/pages/{page}.html"] for page in PAGES) == 3
    assert main(["search", "meltwater", "--db", fetched]) == 0
    assert "Alpine glaciers" in capsys.readouterr().out
