"""``newsbot bench storage``: ingest speed, and query latency on a large synthetic database.

1. Ingest news into an empty database: articles per second. The news is ``--data FILE`` (the
   figures in the README use the BBC set, 2,225 articles) or, by default, 2,225 articles
   generated from the demo news inside the package (newsbot/benchmarks/corpus.py).
2. Build a database of N synthetic articles (written to a JSON Lines file first and ingested
   through the same streaming path, so peak memory is measured too) plus N bare headlines.
   Synthetic texts are shuffled sentences of that news, so the vocabulary and word
   frequencies are those of the news measured with.
3. Time start-up (open + migrations check), search, topic matching and related headlines.
4. The same queries beside a few 4.5 MB single-line documents of common words (the stored text
   is capped, and snippets bounded, so they must stay as fast).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from newsbot.benchmarks.corpus import (
    BenchDataError,
    Corpus,
    add_data_argument,
    load_corpus,
    write_jsonl,
)
from newsbot.benchmarks.report import Timings, peak_rss_mb, run_in_workdir, time_each

DESCRIPTION = "SQLite store: ingest rate, start-up, search, topics and related headlines"
# As many as the BBC set the README's figures were measured with.
GENERATED_ARTICLES = 2_225
LIMIT_MS = 50.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the storage benchmark."""
    parser.add_argument(
        "--articles", type=int, default=100_000, help="synthetic articles (default: 100000)"
    )
    parser.add_argument(
        "--headlines", type=int, default=100_000, help="synthetic headlines (default: 100000)"
    )
    parser.add_argument("--queries", type=int, default=200, help="queries per kind (default: 200)")
    parser.add_argument(
        "--workdir", type=Path, help="keep the databases here (default: a temp dir)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    add_data_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print a report; exit 1 when a target is missed, 2 on bad --data."""
    try:
        corpus = load_corpus(args.data, articles=GENERATED_ARTICLES, seed=args.seed)
    except BenchDataError as error:
        print(f"newsbot bench storage: {error}", file=sys.stderr)
        return 2
    return run_in_workdir(functools.partial(_bench, corpus=corpus), args, prefix="newsbot-bench-")


def _synthetic_title(rng: random.Random, titles: tuple[str, ...]) -> str:
    # Two real titles spliced: realistic words and lengths, and almost always unique.
    first, second = rng.choice(titles).split(), rng.choice(titles).split()
    return " ".join(first[: max(2, len(first) // 2)] + second[len(second) // 2 :])


def _write_synthetic_jsonl(
    path: Path, count: int, rng: random.Random, sentences: tuple[str, ...], titles: tuple[str, ...]
) -> None:
    topics = ("business", "politics", "sport", "tech", "entertainment", "science", "world")
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            paragraphs = [
                " ".join(rng.choices(sentences, k=rng.randint(2, 4)))
                for _ in range(rng.randint(3, 6))
            ]
            item = {
                "title": _synthetic_title(rng, titles),
                "text": "\n\n".join(paragraphs),
                "url": f"https://synthetic.example/{number}",
                "published": f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}T12:00:00Z",
                "source": f"Source {number % 40}",
                "topic": rng.choice(topics),
            }
            out.write(json.dumps(item) + "\n")


def _headline_records(count: int, rng: random.Random, titles: tuple[str, ...]) -> Iterator[object]:
    from storage.ingest.records import HeadlineRecord

    for number in range(count):
        yield HeadlineRecord(
            title=f"{_synthetic_title(rng, titles)} {number}", source=f"Wire {number % 10}"
        )


async def _measure_ingest(corpus: Corpus, workdir: Path) -> bool:
    """Ingest the news into an empty database; whether it went at 500 articles/s or more."""
    from storage import Store
    from storage.ingest.sources import open_file

    news = corpus.path
    if news is None:
        news = workdir / "generated.jsonl"
        write_jsonl(corpus.articles, news)
    ingest_db = workdir / "ingest.db"
    ingest_db.unlink(missing_ok=True)
    async with await Store.open(ingest_db) as store:
        started = time.perf_counter()
        report = await store.articles.ingest(open_file(news).records)
        seconds = time.perf_counter() - started
    rate = (report.new_articles + report.skipped) / seconds
    print(
        f"ingest {news.name} ({report.new_articles + report.skipped} records, "
        f"{report.new_articles} new): {seconds:.2f} s, {rate:,.0f} articles/s"
        f"  {'ok' if rate >= 500 and seconds < 5 else 'SLOW'} (limit 500/s, < 5 s)"
    )
    return rate >= 500


async def _bench(args: argparse.Namespace, workdir: Path, *, corpus: Corpus) -> int:
    from storage import Store
    from storage.ingest.sources import open_file

    rng = random.Random(args.seed)
    ok = True
    print(f"newsbot bench storage (news: {corpus.name})")

    # 1. Ingest rate.
    ok &= await _measure_ingest(corpus, workdir)

    # 2. Large synthetic database.
    sentences, titles = corpus.sentences, corpus.titles
    big_db = workdir / "big.db"
    jsonl = workdir / "synthetic.jsonl"
    if not big_db.exists():
        _write_synthetic_jsonl(jsonl, args.articles, rng, sentences, titles)
        rss_before = peak_rss_mb()
        async with await Store.open(big_db) as store:
            started = time.perf_counter()
            report = await store.articles.ingest(open_file(jsonl).records)
            seconds = time.perf_counter() - started
            print(
                f"ingest {args.articles:,} synthetic articles from a "
                f"{jsonl.stat().st_size / 2**20:,.0f} MB JSONL file: {seconds:.1f} s, "
                f"{report.new_articles / seconds:,.0f} articles/s, peak RSS "
                f"{rss_before:,.0f} -> {peak_rss_mb():,.0f} MB"
            )
            started = time.perf_counter()
            headlines = await store.articles.ingest(
                _headline_records(args.headlines, rng, titles)  # type: ignore[arg-type]
            )
            print(
                f"ingest {headlines.new_headlines:,} headlines: "
                f"{time.perf_counter() - started:.1f} s"
            )
        jsonl.unlink()
    print(f"database size: {big_db.stat().st_size / 2**20:,.0f} MB")

    # 3. Start-up.
    startups = []
    for _ in range(5):
        started = time.perf_counter()
        store = await Store.open(big_db)
        startups.append((time.perf_counter() - started) * 1000)
        await store.close()
    startup = Timings("start-up (open)", tuple(startups))
    ok &= startup.percentile(1.0) < 1000
    print(startup.line(1000))

    # 4. Queries.
    words = [w for title in titles for w in title.split() if len(w) > 3 and w.isalpha()]
    pairs = [" ".join(title.split()[i : i + 2]) for title in titles for i in range(2)]
    queries = [" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(args.queries)]
    topics = [rng.choice(words) for _ in range(args.queries // 2)] + rng.sample(
        pairs, args.queries // 2
    )
    async with await Store.open(big_db) as store:
        newest = await store.articles.latest(limit=1)
        top_id = newest[0].id if newest else 1
        article_ids = [rng.randint(1, top_id) for _ in range(args.queries)]
        results = [
            await time_each(
                "search", queries, lambda query: store.articles.search(query, limit=10)
            ),
            await time_each(
                "topic: latest articles",
                topics,
                lambda topic: store.articles.latest(topics=[topic], limit=10),
            ),
            await time_each(
                "topic: latest headlines",
                topics,
                lambda topic: store.articles.latest_headlines(topic=topic, limit=10),
            ),
            await time_each(
                "related headlines",
                article_ids,
                lambda article_id: store.articles.related(article_id, limit=5),
            ),
        ]
    for timings in results:
        ok &= timings.percentile(0.95) < LIMIT_MS
        print(timings.line(LIMIT_MS))
    ok &= await _bench_huge_documents(workdir, args.queries)
    return 0 if ok else 1


# A few common words repeated: the worst case for snippets and phrase matching, which once
# made one search take 197 s after a single 4.5 MB file of them was ingested.
_COMMON_WORDS = [
    "the",
    "bank",
    "said",
    "interest",
    "rates",
    "would",
    "rise",
    "and",
    "the",
    "market",
    "fell",
]
_HUGE_DOCUMENT_BYTES = 4_500_000


async def _bench_huge_documents(workdir: Path, queries: int) -> bool:
    """Search, topic matching and related headlines beside 4.5 MB single-line documents."""
    from storage import Store
    from storage.ingest.records import ArticleRecord, HeadlineRecord

    rng = random.Random(2)
    path = workdir / "huge.db"
    path.unlink(missing_ok=True)
    records: list[ArticleRecord | HeadlineRecord] = []
    for number in range(3):
        text = " ".join(rng.choices(_COMMON_WORDS, k=_HUGE_DOCUMENT_BYTES // 5))
        records.append(ArticleRecord(text=text, title=f"Huge document {number}"))
    for number in range(200):
        words = rng.choices(_COMMON_WORDS, k=8)
        records.append(ArticleRecord(text=" ".join(words * 40) + ".", title=" ".join(words)))
        records.append(
            HeadlineRecord(title=f"{' '.join(rng.choices(_COMMON_WORDS, k=6))} {number}")
        )
    phrases = [" ".join(rng.sample(_COMMON_WORDS, rng.randint(1, 3))) for _ in range(queries)]
    async with await Store.open(path) as store:
        started = time.perf_counter()
        await store.articles.ingest(records)
        print(
            f"ingest 3 single-line documents of {_HUGE_DOCUMENT_BYTES / 1e6:.1f} MB of common"
            f" words: {time.perf_counter() - started:.1f} s"
        )
        results = [
            await time_each(
                "huge documents: search",
                phrases,
                lambda query: store.articles.search(query, limit=10),
            ),
            await time_each(
                "huge documents: topic",
                phrases,
                lambda topic: store.articles.latest(topics=[topic], limit=10),
            ),
            await time_each(
                "huge documents: related",
                [1, 2, 3] * max(1, queries // 3),
                lambda article_id: store.articles.related(article_id, limit=5),
            ),
        ]
    ok = True
    for timings in results:
        ok &= timings.percentile(0.95) < LIMIT_MS
        print(timings.line(LIMIT_MS))
    return ok
