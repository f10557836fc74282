"""Reading data sets and scoring summarisers with ROUGE."""

import gzip
import json
from pathlib import Path

import pytest

from summaries.evaluation import MalformedLine, Pair, Score, evaluate, read_pairs
from summaries.reporting import format_scores

STORY = "Dock workers walked out on Monday. The union said talks with employers had failed."


def test_pairs_are_read_from_gzip_and_bad_lines_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl.gz"
    good = {"id": 7, "title": "Strike", "text": STORY, "summary": "Workers walked out."}
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(good) + "\n\n{broken\n" + json.dumps({"text": 1}) + "\n")
    assert list(read_pairs(path)) == [
        Pair(1, "7", "Strike", STORY, "Workers walked out."),
        MalformedLine(3, "not JSON (Expecting property name enclosed in double quotes)"),
        MalformedLine(4, "missing text field(s): text, summary"),
    ]


def test_invalid_utf8_in_a_data_file_is_replaced_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_bytes(b'{"text": "Caf\xe9 owners lost trade this week.", "summary": "x"}\n')
    (pair,) = read_pairs(path)
    assert isinstance(pair, Pair)
    assert pair.text == "Caf\ufffd owners lost trade this week."


def test_a_summary_equal_to_the_reference_scores_100() -> None:
    pair = Pair(1, "a", "", STORY, STORY.replace(". ", ".\n"))
    (score,) = evaluate([pair], ["lead"], sentences=2, language="english")
    assert (score.rouge1, score.rouge2, score.rouge_lsum) == (100.0, 100.0, 100.0)
    assert score.articles == 1


def test_scores_are_means_over_articles_in_algorithm_order() -> None:
    pairs = [Pair(1, "a", "", STORY, "Dock workers walked out on Monday.")] * 2
    scores = evaluate(pairs, ["random", "lead"], sentences=1, language="english")
    assert [score.algorithm for score in scores] == ["random", "lead"]
    assert scores[1].rouge1 == pytest.approx(100.0)


SCORES = [
    Score("text-rank", 30.0, 10.0, 27.0, 20.0, 5),
    Score("news", 33.333, 12.5, 29.0, 10.0, 5),
]


def test_table_format_aligns_columns_and_shows_the_speed_ratio() -> None:
    assert format_scores(SCORES, "table").splitlines() == [
        "algorithm  ROUGE-1  ROUGE-2  ROUGE-Lsum  ms/article  × text-rank",
        "text-rank    30.00    10.00       27.00        20.0         1.00",
        "news         33.33    12.50       29.00        10.0         0.50",
    ]


def test_json_format_keeps_full_precision() -> None:
    assert json.loads(format_scores(SCORES, "json"))[1]["rouge1"] == 33.333
