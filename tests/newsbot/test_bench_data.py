"""`newsbot bench storage|digest` measure news shipped in the package, or a `--data` file.

Exit status 1 means a timing target was missed, which a busy machine may do: timings belong in
the benchmarks' reports, so these tests check that each runs and what it reports, not how fast.
"""

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from newsbot.benchmarks.corpus import generated_corpus
from newsbot.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEMO_CORPUS = ROOT / "newsbot" / "demo_data" / "corpus.jsonl"
SMALL_STORAGE = ["bench", "storage", "--articles", "300", "--headlines", "300", "--queries", "5"]
SMALL_DIGEST = ["bench", "digest", "--chats", "20", "--articles", "40", "--deliver-seconds", "1"]


def test_the_storage_benchmark_needs_nothing_beside_the_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*SMALL_STORAGE, "--workdir", str(tmp_path)]) in {0, 1}
    report = capsys.readouterr().out
    assert "news: generated" in report
    assert "ingest generated.jsonl (2225 records, 2225 new)" in report
    for line in ("start-up", "search", "topic: latest", "related headlines"):
        assert line in report


def test_the_storage_benchmark_measures_a_data_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = [*SMALL_STORAGE, "--data", str(DEMO_CORPUS), "--workdir", str(tmp_path)]
    assert main(arguments) in {0, 1}
    report = capsys.readouterr().out
    assert "ingest corpus.jsonl (9 records, 9 new)" in report
    assert "related headlines" in report


@pytest.mark.slow  # about 10 s: a process for the emulator, a pool for the summaries
def test_the_digest_benchmark_needs_nothing_beside_the_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*SMALL_DIGEST, "--workdir", str(tmp_path)]) in {0, 1}
    report = capsys.readouterr().out
    assert "articles stored             40" in report
    for measure in ("build ", "deliver ", "event-loop lag", "peak memory"):
        assert measure in report


@pytest.mark.parametrize("arguments", [SMALL_STORAGE, SMALL_DIGEST], ids=["storage", "digest"])
def test_a_missing_data_file_is_one_line_and_exit_2(
    arguments: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.jsonl"
    assert main([*arguments, "--data", str(missing)]) == 2
    captured = capsys.readouterr()
    assert (
        captured.err.strip()
        == f"newsbot bench {arguments[1]}: {missing}: No such file or directory"
    )
    assert captured.out == ""


@pytest.mark.parametrize("arguments", [SMALL_STORAGE, SMALL_DIGEST], ids=["storage", "digest"])
def test_a_data_file_without_articles_is_one_line_and_exit_2(
    arguments: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    headlines = tmp_path / "headlines.jsonl"
    headlines.write_text('{"title": "Only a headline"}\n', encoding="utf-8")
    assert main([*arguments, "--data", str(headlines)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert f"{headlines}: no article with a title and a text" in error


def test_a_malformed_data_file_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"title": "A", "text": "Fine."}\n{broken\n', encoding="utf-8")
    assert main([*SMALL_STORAGE, "--data", str(broken)]) == 2
    assert f"{broken}:2: malformed JSON" in capsys.readouterr().err


def test_the_generated_news_is_the_same_for_the_same_seed() -> None:
    first = generated_corpus(30, random.Random(7))
    assert generated_corpus(30, random.Random(7)) == first
    assert generated_corpus(30, random.Random(8)) != first


def test_the_generated_news_has_a_long_tail_of_words_as_real_news_has() -> None:
    corpus = generated_corpus(500, random.Random(1))
    assert len(corpus.articles) == 500
    documents = [set(re.findall(r"[a-z]{5,}", article.text.lower())) for article in corpus.articles]
    # The demo news it is made from has about 640 distinct words: search would match them all.
    assert len(set().union(*documents)) > 5_000
    frequencies = Counter(word for words in documents for word in words)
    [(_, most_documents)] = frequencies.most_common(1)
    assert most_documents < 0.8 * len(documents)
