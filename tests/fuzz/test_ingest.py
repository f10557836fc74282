"""Every ingest format from damaged or random bytes: records or a clear IngestError, only."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from storage.errors import IngestError
from storage.ingest.records import ArticleRecord, BadRecord, HeadlineRecord, Record
from storage.ingest.sources import FORMATS, from_bytes, open_file
from tests.fuzz.conftest import LoopStore
from tests.fuzz.strategies import hostile_text

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "newsbot" / "demo_data"
JSONL = (DEMO / "corpus.jsonl").read_bytes()[:6000]
RSS = (DEMO / "headlines.xml").read_bytes()[:6000]
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>T</title><entry><title>Energy prices &amp; <b>rates</b></title>
<link href="https://e.com/1"/><updated>2026-11-24T07:30:00Z</updated>
<content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry>
</feed>"""
PAGE = (
    b"""<!doctype html><html><head><title>Prices rise</title></head><body><article>
<h1>Prices rise</h1>"""
    + b"<p>Energy prices rose again this month, officials said on Monday.</p>" * 20
    + (b"</article></body></html>")
)
VALID = [JSONL, RSS, ATOM, PAGE]
NAMES = ["upload", "feed.xml", "page.html", "news.jsonl", "notes.txt", "x.jsonl.gz", "-"]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A valid document cut short, with bytes flipped, spliced with hostile text, or gzipped."""
    data = bytearray(draw(st.sampled_from(VALID)))
    data = data[: draw(st.integers(0, len(data)))]
    for _ in range(draw(st.integers(0, 5))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        position = draw(st.integers(0, len(data)))
        data[position:position] = draw(hostile_text(6)).encode("utf-8", "surrogatepass")
    packed = bytes(data)
    if draw(st.integers(0, 4)) == 0:
        packed = gzip.compress(packed)[: draw(st.integers(0, len(packed) + 40))]
    return packed


any_bytes = st.one_of(st.binary(max_size=2000), damaged())
json_lines = st.lists(
    st.one_of(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | hostile_text(3),
            lambda children: (
                st.lists(children, max_size=3)
                | st.dictionaries(
                    st.sampled_from(["title", "text", "url", "published", "tags", "source", "x"]),
                    children,
                    max_size=5,
                )
            ),
            max_leaves=10,
        ).map(lambda value: json.dumps(value, ensure_ascii=False)),
        hostile_text(3),
    ),
    max_size=8,
).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass"))


def read_all(data: bytes, name: str, fmt: str | None) -> list[Record] | IngestError:
    try:
        return list(from_bytes(data, name=name, fmt=fmt).records)
    except IngestError as error:
        assert str(error), "an IngestError says what was wrong"
        return error


def assert_well_formed(records: list[Record]) -> None:
    for record in records:
        assert isinstance(record, ArticleRecord | HeadlineRecord | BadRecord)
        if isinstance(record, BadRecord):
            assert record.describe().strip()


# Found by the fuzz profile: feedparser raised on a bogus encoding declaration.
@example(b'<?encoding="\x80"?>', "upload", "rss")
@example(b'<?encoding="\x00"?>', "upload", "rss")
@given(any_bytes, st.sampled_from(NAMES), st.sampled_from([None, *FORMATS]))
def test_any_bytes_become_records_or_a_clear_ingest_error(
    data: bytes, name: str, fmt: str | None
) -> None:
    result = read_all(data, name, fmt)
    if not isinstance(result, IngestError):
        assert_well_formed(result)


@given(json_lines)
def test_random_json_lines_become_records_or_bad_records(data: bytes) -> None:
    result = read_all(data, "random.jsonl", "jsonl")
    if not isinstance(result, IngestError):
        assert_well_formed(result)


@given(st.one_of(json_lines, damaged()))
def test_whatever_parses_stores_without_error(loop_store: LoopStore, data: bytes) -> None:
    result = read_all(data, "upload.jsonl", None)
    if isinstance(result, IngestError):
        return
    try:
        report = loop_store.run(loop_store.store.articles.ingest(result, skip_bad=True))
    except IngestError as error:
        assert str(error)
        return
    assert report is not None


@given(damaged(), st.sampled_from(["in.jsonl", "in.xml", "in.html", "in.txt", "in.jsonl.gz", "in"]))
def test_a_damaged_file_on_disk_is_read_or_refused_clearly(
    tmp_path_factory: object, data: bytes, name: str
) -> None:
    directory = tmp_path_factory.mktemp("files")  # type: ignore[attr-defined]
    path = directory / name
    path.write_bytes(data)
    try:
        records = list(open_file(path).records)
    except IngestError as error:
        assert str(error)
        return
    assert_well_formed(records)


def test_a_truncated_gzip_file_is_a_clear_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gzip.compress(JSONL)[:500])
    try:
        list(open_file(path).records)
    except IngestError as error:
        assert "truncated or corrupt gzip" in str(error)
        assert "cut.jsonl.gz" in str(error)
    else:
        raise AssertionError("a truncated archive must not ingest")
