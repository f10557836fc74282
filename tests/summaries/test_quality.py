"""Quality targets on samples of the dev sets (slow: run with `pytest -m slow`).

The figures in docs/summaries.md come from full `newsbot evaluate` runs; this is a tripwire
that a change has not quietly broken the ranking, not a measurement.
"""

import pytest

from summaries.evaluation import Pair, Score, evaluate, read_pairs
from tests.data import SHARED, needs_shared_data

# Every Nth article, so the BBC sample spans all five topics (the file is sorted by topic).
SAMPLE = 150

pytestmark = [pytest.mark.slow, needs_shared_data]


def scores(name: str, algorithms: list[str]) -> dict[str, Score]:
    pairs = [pair for pair in read_pairs(SHARED / "data" / name) if isinstance(pair, Pair)]
    pairs = pairs[:: max(len(pairs) // SAMPLE, 1)]
    return {score.algorithm: score for score in evaluate(pairs, algorithms, language="english")}


def figures(score: Score) -> tuple[float, float, float]:
    return (score.rouge1, score.rouge2, score.rouge_lsum)


def beats(winner: Score, loser: Score) -> bool:
    return all(a > b for a, b in zip(figures(winner), figures(loser), strict=True))


def test_news_beats_lead_and_every_sumy_algorithm_on_human_written_highlights() -> None:
    results = scores("cnndm-dev.jsonl.gz", ["news", "lead", "lex-rank", "text-rank", "reduction"])
    assert all(beats(results["news"], results[name]) for name in results if name != "news")


def test_news_beats_lead_on_machine_extracted_references() -> None:
    results = scores("bbc-news-summary.jsonl.gz", ["news", "lead"])
    assert beats(results["news"], results["lead"])


def test_gist_beats_the_graph_rankers_on_machine_extracted_references() -> None:
    results = scores("bbc-news-summary.jsonl.gz", ["gist", "text-rank", "reduction", "luhn"])
    assert all(beats(results["gist"], results[name]) for name in results if name != "gist")
