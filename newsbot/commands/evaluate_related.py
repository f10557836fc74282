"""`newsbot evaluate-related`: precision and recall of related headlines and same-story merging.

The articles of ``--data`` are stored in a temporary database, then for every story of
``--pairs`` the digest's related headlines (at most RELATED_SHOWN) are compared with the
reader's labels: ``same-story`` and ``related`` are positive, ``unrelated`` negative, and an
unlabelled headline is counted apart (unknown, not wrong). Each labelled pair is also put to
the same-story merge; the pairs it merges wrongly are listed, to be read. Finally every title
is stored as a bare headline and each article's text is asked for its related headlines: how
often is its own title first (or among the first 3)?

The labelled set is small, so the related figures are also given for its two halves (stories
split by a hash of their id): a change that helps one half and not the other was fitted to the
set, not learned about news. ``--show-errors`` lists every wrong and every missed headline, so
misses can be read by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import json
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsbot.commands.summarize import positive_int

if TYPE_CHECKING:
    from storage import Store

EXIT_USAGE = 2
# As many related headlines as a digest item shows.
RELATED_SHOWN = 3
POSITIVE = frozenset({"same-story", "related"})
LABELS = frozenset({*POSITIVE, "unrelated"})
_URL = "https://evaluation.invalid/"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `evaluate-related` subcommand."""
    parser = subparsers.add_parser(
        "evaluate-related",
        help="measure related headlines and same-story merging on labelled pairs",
        description=(
            "Precision and recall of related headlines (same-story + related count as positive) "
            "and of the same-story merge, against labelled (article, candidate) pairs."
        ),
    )
    parser.add_argument(
        "--pairs", required=True, type=Path, metavar="FILE", help="labelled pairs, JSON Lines"
    )
    parser.add_argument(
        "--data", required=True, type=Path, metavar="FILE", help="articles, FILE.jsonl(.gz)"
    )
    parser.add_argument(
        "--own-title-sample",
        type=int,
        default=300,
        metavar="N",
        help="articles asked for their own title (default: 300; 0 skips)",
    )
    parser.add_argument(
        "--show-errors",
        action="store_true",
        help="also list wrong (labelled unrelated) and missed (labelled positive) headlines",
    )
    parser.add_argument(
        "--candidates",
        choices=("articles", "headlines"),
        default="articles",
        help=(
            "store the articles that are not labelled stories whole (default), or only their"
            " headlines, as a headline-only feed would"
        ),
    )
    parser.add_argument("--seed", type=positive_int, default=11, help="sampling seed (default: 11)")
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output (default: table)"
    )
    parser.set_defaults(handler=run)


@dataclass(frozen=True, slots=True)
class Pair:
    """A labelled (story, candidate) pair of article ids of the data set."""

    article: str
    candidate: str
    label: str


class InputError(Exception):
    """A file that cannot be read or a line that is not what it should be."""


def _lines(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    rows: list[dict[str, Any]] = []
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    raise InputError(f"{path}:{number}: not a JSON object") from None
                if not isinstance(row, dict):
                    raise InputError(f"{path}:{number}: not a JSON object")
                rows.append(row)
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read it ({error})") from None
    return rows


def read_pairs(path: Path) -> list[Pair]:
    """Labelled pairs; InputError names the first bad line."""
    pairs = []
    for number, row in enumerate(_lines(path), start=1):
        if row.get("label") not in LABELS or not row.get("article") or not row.get("candidate"):
            raise InputError(f"{path}: pair {number} needs article, candidate and a known label")
        pairs.append(Pair(str(row["article"]), str(row["candidate"]), str(row["label"])))
    return pairs


def run(args: argparse.Namespace) -> int:
    """Measure and print the figures."""
    try:
        pairs = read_pairs(args.pairs)
        articles = {
            str(row["id"]): row for row in _lines(args.data) if row.get("id") and row.get("text")
        }
    except InputError as error:
        print(f"newsbot evaluate-related: {error}", file=sys.stderr)
        return EXIT_USAGE
    missing = {pair.article for pair in pairs} | {pair.candidate for pair in pairs}
    missing -= articles.keys()
    if missing:
        example = sorted(missing)[0]
        print(
            f"newsbot evaluate-related: {len(missing)} ids of the pairs are not in the data"
            f" (e.g. {example!r})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    errors: list[str] = []
    if args.candidates == "headlines":
        # A headline-only feed: what a story can relate to is titles with links, no text.
        stories = {pair.article for pair in pairs}
        articles = {
            key: row if key in stories else {**row, "text": ""} for key, row in articles.items()
        }
    report = asyncio.run(_evaluate(articles, pairs, args.own_title_sample, args.seed, errors))
    if args.format == "json":
        print(json.dumps({**report, "errors": errors} if args.show_errors else report, indent=2))
    else:
        for name, value in report.items():
            if isinstance(value, list):
                print(f"{name:<34} {len(value)}")
                for line in value:
                    print(f"  {line}")
                continue
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            print(f"{name:<34} {shown}")
        if args.show_errors:
            print(*errors, sep="\n")
    return 0


def half(story: str) -> int:
    """Which half (1 or 2) of the labelled set a story falls in, by a hash of its id."""
    return 1 + hashlib.sha256(story.encode()).digest()[0] % 2


async def _evaluate(
    articles: dict[str, dict[str, Any]],
    pairs: list[Pair],
    own_title_sample: int,
    seed: int,
    errors: list[str],
) -> dict[str, Any]:
    """The figures; each wrong or missed related headline is appended to ``errors``."""
    from storage import Store
    from storage.ingest.records import ArticleRecord, HeadlineRecord

    labels = {(pair.article, pair.candidate): pair.label for pair in pairs}
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="newsbot-evaluate-") as directory:
        async with await Store.open(Path(directory) / "articles.db") as store:
            await store.articles.ingest(
                ArticleRecord(
                    text=row["text"],
                    title=row.get("title") or None,
                    url=_URL + key,
                    source=str(row.get("source") or "") or None,
                )
                if row["text"]
                else HeadlineRecord(
                    title=str(row.get("title") or key),
                    url=_URL + key,
                    source=str(row.get("source") or "") or None,
                )
                for key, row in articles.items()
            )
            stored = await _stored_ids(store, len(articles))
            by_key = {key: article_id for article_id, key in stored.items()}
            titles = {
                key: " ".join(str(row.get("title") or key).split()) for key, row in articles.items()
            }
            report.update(
                await _related(
                    store,
                    pairs,
                    labels=labels,
                    stored=stored,
                    by_key=by_key,
                    titles=titles,
                    errors=errors,
                )
            )
            report.update(await _merging(store, pairs, by_key))
        if own_title_sample > 0 and all(row["text"] for row in articles.values()):
            async with await Store.open(Path(directory) / "headlines.db") as store:
                rows = [row for row in articles.values() if row.get("title")]
                await store.articles.ingest(HeadlineRecord(title=row["title"]) for row in rows)
                sample = random.Random(seed).sample(rows, min(own_title_sample, len(rows)))
                first = top_three = 0
                for row in sample:
                    related = await store.articles.related_to_text(row["text"], limit=RELATED_SHOWN)
                    shown = [headline.title for headline in related]
                    own = " ".join(row["title"].split())
                    first += shown[:1] == [own]
                    top_three += own in shown
                report["own title first"] = first / len(sample)
                # BBC runs several reports on one subject; a follow-up's title may fit the text
                # as well as its own, so how often it is at least shown says more.
                report["own title in the first 3"] = top_three / len(sample)
                report["own title articles"] = len(sample)
    return report


async def _stored_ids(store: Store, count: int) -> dict[int, str]:
    """Stored article id -> data set id (read back from the URLs given at ingest)."""
    stored: dict[int, str] = {}
    for article_id in range(1, count + 1):
        article = await store.articles.get(article_id)
        if article is not None and article.url and article.url.startswith(_URL):
            stored[article.id] = article.url.removeprefix(_URL)
    return stored


async def _related(
    store: Store,
    pairs: list[Pair],
    *,
    labels: dict[tuple[str, str], str],
    stored: dict[int, str],
    by_key: dict[str, int],
    titles: dict[str, str],
    errors: list[str],
) -> dict[str, float | int]:
    positives: dict[str, list[str]] = {}
    for pair in pairs:
        # setdefault: a story with no positive still counts.
        positives.setdefault(pair.article, [])
        if pair.label in POSITIVE:
            positives[pair.article].append(pair.candidate)
    # Per half of the set (0 is the whole): positive, negative, unlabelled, found, wanted.
    counts = {part: {"+": 0, "-": 0, "?": 0, "found": 0, "wanted": 0} for part in (0, 1, 2)}
    shown_without_positive = 0
    for story in sorted(positives):
        # A story stored as a copy of another article is not asked, but its positives are
        # still wanted.
        related = []
        if story in by_key:
            related = await store.articles.related(by_key[story], limit=RELATED_SHOWN)
        keys = [stored.get(headline.article_id or 0) for headline in related]
        verdicts = [labels.get((story, key)) if key else None for key in keys]
        hits = sum(verdict in POSITIVE for verdict in verdicts)
        wanted = min(len(positives[story]), RELATED_SHOWN)
        for part in (0, half(story)):
            counts[part]["+"] += hits
            counts[part]["-"] += sum(verdict == "unrelated" for verdict in verdicts)
            counts[part]["?"] += sum(verdict is None for verdict in verdicts)
            counts[part]["found"] += min(hits, RELATED_SHOWN)
            counts[part]["wanted"] += wanted
        shown_without_positive += bool(related) and not positives[story]
        heading = f"{story} {titles.get(story, story)!r}"
        for headline, verdict in zip(related, verdicts, strict=True):
            if verdict == "unrelated":
                errors.append(f"wrong   {heading} -> {headline.title!r} ({headline.score})")
        if hits < wanted:
            for key in positives[story]:
                if key not in keys:
                    errors.append(f"missed  {heading} -> {titles.get(key, key)!r}")
    report: dict[str, float | int] = {}
    for part, name in ((0, ""), (1, ", half 1"), (2, ", half 2")):
        figures = counts[part]
        judged = figures["+"] + figures["-"]
        report[f"related precision{name}"] = figures["+"] / judged if judged else 0.0
        report[f"related recall{name}"] = (
            figures["found"] / figures["wanted"] if figures["wanted"] else 0.0
        )
    return {
        **report,
        "related returned": counts[0]["+"] + counts[0]["-"] + counts[0]["?"],
        "related returned unlabelled": counts[0]["?"],
        "stories": len(positives),
        "stories without positives": sum(not found for found in positives.values()),
        "of those, shown headlines": shown_without_positive,
    }


async def _merging(store: Store, pairs: list[Pair], by_key: dict[str, int]) -> dict[str, Any]:
    """Each labelled pair put to the merge: is it one event? Wrong merges are listed."""
    merged_right = same_total = 0
    false_merges: list[str] = []
    for pair in pairs:
        if pair.article not in by_key or pair.candidate not in by_key:
            continue  # a copy of another article of the set, stored once
        groups = await store.articles.same_story_groups(
            [by_key[pair.article], by_key[pair.candidate]]
        )
        merged = len(groups) == 1
        same = pair.label == "same-story"
        same_total += same
        merged_right += merged and same
        if merged and not same:
            false_merges.append(f"{pair.article} ~ {pair.candidate} ({pair.label})")
    merged_total = merged_right + len(false_merges)
    return {
        "same-story merge precision": merged_right / merged_total if merged_total else 0.0,
        "same-story merge recall": merged_right / same_total if same_total else 0.0,
        "same-story pairs merged": merged_total,
        "false merges": false_merges,
    }
