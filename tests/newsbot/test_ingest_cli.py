"""`newsbot ingest`, `search`, `related` and `feeds` as a user runs them."""

import asyncio
import functools
import io
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsbot.cli import main
from storage import Store
from tests.data import SEED, SEED_STORY
from tests.storage.news_site import FIXTURES as FEED_FIXTURES
from tests.storage.news_site import PAGES
from tests.storage.news_site import serving as news_site


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


@pytest.fixture
def existing_db(db: str) -> str:
    async def create() -> None:
        async with await Store.open(db):
            pass

    asyncio.run(create())
    return db


def test_ingesting_twice_prints_0_new_the_second_time(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(SEED), "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("18 new (1 article, 17 headlines)")
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
    assert main(["search", "dockers", "--limit", "1", "--db", db]) == 0
    assert "1. [1] Dock workers at the port of Antwerp" in capsys.readouterr().out
    assert main(["related", "1", "--limit", "3", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert all(any(title in line for title in SEED_STORY) for line in lines[1:])


def test_related_of_an_unknown_article_exits_1(
    existing_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["related", "99", "--db", existing_db]) == 1
    assert "no article 99" in capsys.readouterr().err


def test_feeds_add_list_export_remove(existing_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = existing_db
    add = ["add", "https://a.example/rss", "--topic", "Trams", "--no-check"]
    assert main(["feeds", "--db", db, *add]) == 0
    assert main(["feeds", "list", "--db", db]) == 0
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
    assert capsys.readouterr().out.splitlines()[-1].startswith("1 new (0 articles, 1 headline)")


def test_a_directory_ingests_every_visible_file(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "inbox"
    (folder / "nested").mkdir(parents=True)
    (folder / "a.jsonl").write_text('{"title": "A", "text": "Alpha text."}\n', encoding="utf-8")
    (folder / "nested" / "b.txt").write_text("Beta text.\n\n\nBeta headline\n", encoding="utf-8")
    (folder / ".hidden.jsonl").write_text("not json\n", encoding="utf-8")
    assert main(["ingest", str(folder), "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("3 new (2 articles, 1 headline)")


def test_a_file_that_is_not_a_database_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("shopping list: milk, eggs, bread " * 100, encoding="utf-8")
    assert main(["search", "milk", "--db", str(not_a_database)]) == 1
    assert "file is not a database" in capsys.readouterr().err


def test_skip_bad_loads_every_good_line_around_an_invalid_byte(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(
        b'{"title": "First", "text": "First text."}\n'
        b'{"title": "Caf\xe9 opens", "text": "Latin-1, not UTF-8."}\n'
        b'{"title": "Third", "text": "Third text."}\n'
    )
    assert main(["ingest", str(mixed), "--skip-bad", "--db", db]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        f"newsbot ingest: skipped {mixed}:2: not UTF-8 text (byte 15: invalid continuation byte)"
    ]
    assert captured.out.splitlines()[-1].startswith("2 new (2 articles, 0 headlines)")


def test_an_invalid_byte_without_skip_bad_names_its_line(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(b'{"text": "Fine."}\n{"text": "\xff"}\n')
    assert main(["ingest", str(mixed), "--db", db]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"newsbot ingest: {mixed}:2: not UTF-8 text")


def test_skip_bad_with_nothing_good_fails(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{broken\n{"title": 5}\n', encoding="utf-8")
    assert main(["ingest", str(bad), "--skip-bad", "--db", db]) == 2
    err = capsys.readouterr().err
    assert f"skipped {bad}:1: malformed JSON" in err
    assert f"skipped {bad}:2: 'title' must be text, not int 5" in err
    assert err.strip().splitlines()[-1] == (
        "newsbot ingest: nothing loaded: no source had a good record"
    )


def test_malformed_json_is_described_without_a_doubled_word(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "never closed', encoding="utf-8")
    assert main(["ingest", str(bad), "--db", db]) == 2
    error = capsys.readouterr().err.strip()
    assert error == (
        f"newsbot ingest: {bad}:1: malformed JSON at column 10: Unterminated string starting"
    )


def test_a_line_over_the_limit_says_so(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.jsonl"
    with big.open("wb") as out:
        out.write(b'{"text": "' + b"a" * (10 * 1024 * 1024) + b'"}\n')
        out.write(b'{"text": "Small and fine."}\n')
    assert main(["ingest", str(big), "--skip-bad", "--db", db]) == 0
    captured = capsys.readouterr()
    assert f"skipped {big}:1: line longer than 10 MiB, the limit" in captured.err
    assert captured.out.splitlines()[-1].startswith("1 new (1 article, 0 headlines)")


def test_a_failed_ingest_prints_only_its_error(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(tmp_path / "missing.jsonl"), "--db", db]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1


def test_counts_are_in_the_singular_for_one(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = tmp_path / "one.jsonl"
    one.write_text('{"title": "Only", "text": "Only text."}\n', encoding="utf-8")
    assert main(["ingest", str(one), "--db", db]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{one} (jsonl): 1 new article, 0 new headlines, 0 already stored",
        "1 new (1 article, 0 headlines), 0 already stored",
    ]


RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Local news</title>'
    "<item><title>Quay reopens</title><link>https://q.example/1</link></item>"
    "</channel></rss>"
)


def test_feeds_add_fetches_the_feed_once_and_refuses_what_is_not_one(
    existing_db: str, served_directory: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base, root = served_directory
    (root / "feed.xml").write_text(RSS, encoding="utf-8")
    (root / "page.html").write_text("<html><body><p>Hello</p></body></html>", encoding="utf-8")
    db = ["--db", existing_db]
    for url, reason in [
        (f"{base}/feed.xml", "non-public address"),
        (f"{base}/missing.xml", "HTTP 404"),
        (f"{base}/page.html", "not an RSS or Atom feed"),
    ]:
        allow = [] if reason == "non-public address" else ["--allow-private"]
        assert main(["feeds", "add", url, *allow, *db]) == 2
        captured = capsys.readouterr()
        [line] = captured.err.strip().splitlines()
        assert reason in line
        assert "not added" in line
    assert main(["feeds", "list", *db]) == 0
    assert capsys.readouterr().out == ""
    assert main(["feeds", "add", f"{base}/feed.xml", "--allow-private", *db]) == 0
    assert capsys.readouterr().out.startswith(f"added: [1] {base}/feed.xml")
    assert main(["feeds", "list", *db]) == 0
    assert "Local news" in capsys.readouterr().out


def test_feeds_add_without_a_check_still_refuses_a_private_address(
    existing_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", existing_db]
    assert main(["feeds", "add", "http://127.0.0.1/rss", "--no-check", *db]) == 2
    assert "--allow-private" in capsys.readouterr().err
    assert main(["feeds", "add", "http://127.0.0.1/rss", "--no-check", "--allow-private", *db]) == 0
    assert main(["feeds", "add", "https://news.example/rss", "--no-check", *db]) == 0


def test_a_feed_in_a_legacy_encoding_is_ingested(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(FEED_FIXTURES / "latin1.rss"), "--db", db]) == 0
    assert "1 new headline," in capsys.readouterr().out
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
