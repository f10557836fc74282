"""Ingestion: every format, idempotence, story grouping, bad input and all-or-nothing."""

import gzip
import io
import json
from itertools import count, islice
from pathlib import Path

import pytest

from storage import IngestError, Store
from storage.errors import IngestErrorCode
from storage.ingest.jsonl import parse_jsonl
from storage.ingest.records import ArticleRecord, HeadlineRecord
from storage.ingest.seed import parse_seed
from storage.ingest.sources import bounded_lines, detect_format, open_file
from storage.text import derive_title
from tests.data import BBC, SEED, needs_shared_data

LONG_TEXT = " ".join(["The committee published its findings on river pollution today."] * 12)

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>River News</title><language>en</language>
<item><title>Pollution report out</title><link>https://river.example/report</link>
<pubDate>Mon, 06 Sep 2021 16:45:00 +0000</pubDate><category>Environment</category>
<content:encoded><![CDATA[<p>{LONG_TEXT}</p><p>Second paragraph.</p>]]></content:encoded></item>
<item><title>Ferry timetable changes</title><link>https://river.example/ferry</link>
<description>New times from Monday.</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom River</title>
<entry><title>Atom pollution report</title><link href="https://atom.example/1"/>
<updated>2021-09-06T16:45:00Z</updated>
<content type="html">&lt;p&gt;{LONG_TEXT} Atom.&lt;/p&gt;</content>
</entry></feed>"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


async def ingest_file(store: Store, path: Path, *, skip_bad: bool = False):
    source = open_file(path)
    return await store.articles.ingest(source.records, skip_bad=skip_bad)


async def test_the_seed_gives_one_article_and_its_headlines(store: Store) -> None:
    report = await ingest_file(store, SEED)
    assert (report.new_articles, report.new_headlines) == (1, 17)
    [article] = await store.articles.latest()
    assert article.title.startswith("Dock workers at the port of Antwerp extended their strike")
    assert article.title.endswith("…")
    assert len(article.title) <= 120


async def test_ingesting_the_same_source_twice_adds_nothing(store: Store) -> None:
    await ingest_file(store, SEED)
    again = await ingest_file(store, SEED)
    assert (again.new_articles, again.new_headlines, again.skipped) == (0, 0, 18)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Short headline line\nBody text follows here.", "Short headline line"),
        ("First sentence here. Second one.", "First sentence here"),
        ("One thing happened. Then " + "more " * 50, "One thing happened"),
    ],
)
def test_a_missing_title_is_derived_from_the_first_line_or_sentence(text: str, title: str) -> None:
    assert derive_title(text) == title


def test_a_long_first_sentence_is_cut_at_a_word_with_an_ellipsis() -> None:
    title = derive_title("A " + "very " * 40 + "long first sentence.")
    assert title == "A" + " very" * 23 + "…"
    assert len(title) <= 120


def test_the_seed_parser_splits_at_two_or_more_blank_lines() -> None:
    records = list(parse_seed("Para one.\n\nPara two.\n\n\nHeadline A\nHeadline B\n"))
    assert records == [
        ArticleRecord(text="Para one.\n\nPara two."),
        HeadlineRecord(title="Headline A"),
        HeadlineRecord(title="Headline B"),
    ]


@needs_shared_data
async def test_the_bbc_file_loads_as_it_is(store: Store) -> None:
    report = await ingest_file(store, BBC)
    # The BBC set repeats some articles word for word; those count as already stored.
    assert report.new_articles + report.skipped == 2225
    assert report.new_articles > 2000
    [article] = await store.articles.latest(topics=["tech"], limit=1)
    assert "tech" in article.categories


async def test_jsonl_fields_are_kept(store: Store, tmp_path: Path) -> None:
    line = {
        "title": "Dam opens",
        "text": "The new dam opened.",
        "url": "https://x.example/dam",
        "published": "2025-02-03T04:05:06Z",
        "source": "X News",
        "language": "en",
    }
    await ingest_file(store, write(tmp_path / "a.jsonl", json.dumps(line) + "\n"))
    [article] = await store.articles.latest()
    assert (article.title, article.url, article.source, article.language) == (
        "Dam opens",
        "https://x.example/dam",
        "X News",
        "en",
    )
    assert article.published_at is not None
    assert article.published_at.isoformat() == "2025-02-03T04:05:06+00:00"


async def test_a_malformed_json_line_names_the_line_and_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    path = write(tmp_path / "bad.jsonl", '{"text": "fine one"}\n{"text": oops}\n{"text": "x"}\n')
    with pytest.raises(IngestError, match=r"bad\.jsonl:2: malformed JSON"):
        await ingest_file(store, path)
    assert await store.articles.latest() == []


async def test_skip_bad_loads_the_good_records_and_lists_the_bad(
    store: Store, tmp_path: Path
) -> None:
    path = write(tmp_path / "bad.jsonl", '{"text": "fine one"}\n{"text": oops}\n[1]\n')
    report = await ingest_file(store, path, skip_bad=True)
    assert report.new_articles == 1
    assert [bad.split(": ")[0] for bad in report.bad] == [f"{path}:2", f"{path}:3"]


async def test_gzipped_jsonl_is_detected_by_content(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "news.data"
    path.write_bytes(gzip.compress(b'{"title": "Zipped", "text": "Inside a gzip file."}\n'))
    assert (await ingest_file(store, path)).new_articles == 1


async def test_rss_items_with_full_content_are_articles_and_short_ones_headlines(
    store: Store, tmp_path: Path
) -> None:
    report = await ingest_file(store, write(tmp_path / "river.xml", RSS))
    assert (report.new_articles, report.new_headlines) == (1, 1)
    # The short item is a headline, stored as an article with its teaser so digests see it.
    article, headline = sorted(await store.articles.latest(), key=lambda a: -len(a.text))
    assert (headline.title, headline.text) == ("Ferry timetable changes", "New times from Monday.")
    assert article.title == "Pollution report out"
    assert article.source == "River News"
    assert article.categories == ("environment",)
    assert article.text.endswith("Second paragraph.")
    assert "Ferry timetable changes" in [h.title for h in await store.articles.latest_headlines()]


async def test_atom_entries_are_read(store: Store, tmp_path: Path) -> None:
    report = await ingest_file(store, write(tmp_path / "feed.atom", ATOM))
    assert report.new_articles == 1
    [article] = await store.articles.latest()
    assert (article.title, article.url) == ("Atom pollution report", "https://atom.example/1")


async def test_an_html_page_keeps_title_and_date(store: Store, tmp_path: Path) -> None:
    page = (
        "<html><head><title>Harbour</title>"
        '<meta name="date" content="2024-06-01"></head><body><article><h1>Harbour reopens</h1>'
        + "<p>The harbour reopened after repairs to the old sea wall were finished.</p>" * 6
        + "</article></body></html>"
    )
    await ingest_file(store, write(tmp_path / "page.html", page))
    [article] = await store.articles.latest()
    assert article.title == "Harbour reopens"
    assert article.published_at is not None
    assert article.published_at.date().isoformat() == "2024-06-01"
    assert "sea wall" in article.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("feed.xml", b"this is not xml at all", "not an RSS or Atom feed"),
        ("empty.jsonl", b"", "empty file"),
        ("blank.txt", b"\n\n  \n", "empty file"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("notes.md", b"# Notes\nsome text", "unknown format"),
    ],
)
async def test_bad_sources_fail_with_one_clear_message(
    store: Store, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message) as error:
        await ingest_file(store, path)
    assert str(error.value).startswith(str(path))
    assert "\n" not in str(error.value)
    assert await store.articles.latest_headlines() == []


def test_formats_are_detected_from_names_and_content() -> None:
    assert detect_format("x.jsonl.gz", b"{}") == "jsonl"
    assert detect_format("stdin", b'{"a": 1}') == "jsonl"
    assert detect_format("stdin", b"<?xml version='1.0'?><rss>") == "rss"
    assert detect_format("stdin", b"<feed xmlns='http://www.w3.org/2005/Atom'>") == "rss"
    assert detect_format("stdin", b"<!DOCTYPE html><html>") == "html"
    assert detect_format("stdin", b"Some article.\n\n\nA headline") == "seed"


async def test_the_same_story_from_two_sources_is_stored_twice_as_one_story(
    store: Store,
) -> None:
    text = "The central bank raised interest rates by a quarter point on Thursday."
    await store.articles.ingest(
        [
            ArticleRecord(
                text=text, title="Bank raises rates again", source="A", url="https://a/1"
            ),
            ArticleRecord(
                text=text, title="Bank raises rates again", source="B", url="https://b/1"
            ),
            ArticleRecord(
                text="Rates went up today, the bank said.",
                title="Central bank raises interest rates by a quarter point",
                source="C",
            ),
            ArticleRecord(
                text="Different words entirely.",
                title="Central Bank Raises Interest Rates by a Quarter Point",
                source="D",
            ),
        ]
    )
    articles = await store.articles.latest(limit=10)
    by_source = {article.source: article.story_id for article in articles}
    assert len(articles) == 4
    assert by_source["A"] == by_source["B"]
    assert by_source["C"] == by_source["D"] != by_source["A"]


async def test_the_same_text_again_from_the_same_source_is_skipped(store: Store) -> None:
    first = ArticleRecord(text="Snow closed the pass.", source="A", url="https://a/1")
    again = ArticleRecord(text="  snow CLOSED the pass!  ", source="A", url="https://a/2")
    report = await store.articles.ingest([first, again])
    assert (report.new_articles, report.skipped) == (1, 1)


def test_jsonl_is_parsed_lazily() -> None:
    endless = (json.dumps({"text": f"Item {n}."}) for n in count())
    first = list(islice(parse_jsonl(endless, name="endless"), 3))
    assert [record.text for record in first] == ["Item 0.", "Item 1.", "Item 2."]  # type: ignore[union-attr]


async def test_a_big_source_is_written_in_chunks_in_one_transaction(store: Store) -> None:
    def records():
        for number in range(1800):
            yield ArticleRecord(text=f"Article number {number} about canals.")
        yield ArticleRecord(text="")  # parsers never yield this; raise to force a rollback
        raise IngestError(IngestErrorCode.MALFORMED_JSON, "big.jsonl:1801: broken")

    with pytest.raises(IngestError, match="1801"):
        await store.articles.ingest(records())
    assert await store.articles.latest() == []


def test_an_endless_line_is_cut_past_the_limit_and_the_next_line_still_read() -> None:
    stream = io.BytesIO(b"x" * 1000 + b"\n" + b'{"text": "after"}\n')
    assert [len(line) for line in bounded_lines(stream, limit=100)] == [101, 18]


async def test_a_compressed_endless_line_is_a_bad_record(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "' + b"a" * 30_000_000 + b'"}\n{"text": "ok"}\n'))
    report = await ingest_file(store, path, skip_bad=True)
    assert report.new_articles == 1
    assert report.bad[0] == f"{path}:1: line longer than 10 MiB, the limit"
