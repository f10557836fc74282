"""Scoring summarisers against reference summaries with ROUGE, side by side."""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rouge_score import rouge_scorer

from summaries.api import summarize

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")


@dataclass(frozen=True, slots=True)
class Pair:
    """One article with its reference summary (one sentence per line)."""

    line_number: int
    identifier: str
    title: str
    text: str
    summary: str


@dataclass(frozen=True, slots=True)
class MalformedLine:
    """A line of a data file that is not a usable pair, and why."""

    line_number: int
    reason: str


@dataclass(frozen=True, slots=True)
class Score:
    """Mean ROUGE F1 (0-100) and mean time of one algorithm over the articles it saw."""

    algorithm: str
    rouge1: float
    rouge2: float
    rouge_lsum: float
    milliseconds: float
    articles: int


def read_pairs(path: Path) -> Iterator[Pair | MalformedLine]:
    """Pairs from a JSON Lines file (gzip if it ends in .gz), with a note for each bad line."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as lines:
        for line_number, line in enumerate(lines, start=1):
            if line.strip():
                yield _parse_line(line, line_number)


def _parse_line(line: str, line_number: int) -> Pair | MalformedLine:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return MalformedLine(line_number, f"not JSON ({error.msg})")
    if not isinstance(record, dict):
        return MalformedLine(line_number, "not a JSON object")
    missing = [key for key in ("text", "summary") if not isinstance(record.get(key), str)]
    if missing:
        return MalformedLine(line_number, f"missing text field(s): {', '.join(missing)}")
    title = record.get("title")
    return Pair(
        line_number=line_number,
        identifier=str(record.get("id", line_number)),
        title=title if isinstance(title, str) else "",
        text=record["text"],
        summary=record["summary"],
    )


def evaluate(
    pairs: Iterable[Pair],
    algorithms: Sequence[str],
    *,
    sentences: int = 3,
    language: str | None = None,
) -> list[Score]:
    """Mean ROUGE-1/2/Lsum F1 (stemmed) and milliseconds per article for each algorithm.

    The algorithms take turns on each article, so a busy machine slows them all alike and the
    times compare.
    """
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    totals = {name: [0.0, 0.0, 0.0, 0.0] for name in algorithms}
    count = 0
    for pair in pairs:
        count += 1
        for name in algorithms:
            started = time.perf_counter()
            summary = summarize(
                pair.text,
                algorithm=name,
                sentences=sentences,
                language=language,
                title=pair.title or None,
            )
            elapsed = time.perf_counter() - started
            scores = scorer.score(pair.summary, "\n".join(summary.sentences))
            total = totals[name]
            for slot, rouge_type in enumerate(ROUGE_TYPES):
                total[slot] += scores[rouge_type].fmeasure
            total[3] += elapsed
    divisor = max(count, 1)
    return [
        Score(
            algorithm=name,
            rouge1=100 * total[0] / divisor,
            rouge2=100 * total[1] / divisor,
            rouge_lsum=100 * total[2] / divisor,
            milliseconds=1000 * total[3] / divisor,
            articles=count,
        )
        for name, total in totals.items()
    ]


_TOKEN = re.compile(r"[^\W_]+")


def token_f1(extracted: str, reference: str) -> float:
    """Token F1 (0-1) of an extracted text against the known one: how well extraction kept it."""
    found = Counter(_TOKEN.findall(extracted.casefold()))
    wanted = Counter(_TOKEN.findall(reference.casefold()))
    overlap = sum((found & wanted).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(found.values())
    recall = overlap / sum(wanted.values())
    return 2 * precision * recall / (precision + recall)
