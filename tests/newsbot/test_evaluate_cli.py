"""`newsbot evaluate`: ROUGE and timing per algorithm from a JSON Lines file."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsbot.cli import main

STORY = (
    "Dock workers walked out on Monday over a pay offer they called an insult. "
    "The union said talks with the port employers had failed after six weeks. "
    "Ships are waiting in the bay and some cargo is being sent to other ports."
)
PAIR = {"id": "a", "title": "Dock strike", "text": STORY, "summary": "Dock workers walked out."}


def write_jsonl(path: Path, lines: list[str]) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def test_json_report_has_scores_and_times_per_algorithm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_jsonl(tmp_path / "set.jsonl.gz", [json.dumps(PAIR)] * 2)
    status = main(
        [
            "evaluate",
            "--data",
            str(data),
            "--algorithms",
            "lead,news",
            "--sentences",
            "1",
            "--format",
            "json",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert [row["algorithm"] for row in report] == ["lead", "news"]
    lead = report[0]
    assert lead["articles"] == 2
    assert lead["rouge1"] == pytest.approx(100 * 2 * (4 / 14) / (1 + 4 / 14))  # P 4/14, R 4/4
    assert lead["milliseconds"] > 0


def test_markdown_report_is_a_table_with_the_text_rank_ratio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_jsonl(tmp_path / "set.jsonl", [json.dumps(PAIR)])
    status = main(
        ["evaluate", "--data", str(data), "--algorithms", "text-rank,gist", "--format", "markdown"]
    )
    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[0] == "| algorithm | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | ms/article | × text-rank |"
    assert lines[2].startswith("| text-rank |") and lines[2].endswith("| 1.00 |")
    assert lines[3].startswith("| gist |")


def test_malformed_lines_are_reported_with_their_line_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_jsonl(
        tmp_path / "set.jsonl", [json.dumps(PAIR), "{not json", "[1, 2]", json.dumps({"text": "x"})]
    )
    status = main(["evaluate", "--data", str(data), "--algorithms", "lead"])
    captured = capsys.readouterr()
    assert status == 0
    assert f"{data}:2: skipped: not JSON" in captured.err
    assert f"{data}:3: skipped: not a JSON object" in captured.err
    assert f"{data}:4: skipped: missing text field(s): summary" in captured.err
    assert "lead" in captured.out


def test_limit_takes_the_first_articles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_jsonl(tmp_path / "set.jsonl", [json.dumps(PAIR)] * 5)
    main(
        [
            "evaluate",
            "--data",
            str(data),
            "--algorithms",
            "lead",
            "--limit",
            "3",
            "--format",
            "json",
        ]
    )
    assert json.loads(capsys.readouterr().out)[0]["articles"] == 3


def test_no_progress_bar_when_stderr_is_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_jsonl(tmp_path / "set.jsonl", [json.dumps(PAIR)])
    main(["evaluate", "--data", str(data), "--algorithms", "lead"])
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--algorithms", "lead,magic"], "unknown algorithm(s) magic"),
        (["--data", "nowhere.jsonl"], "no such file: nowhere.jsonl"),
    ],
)
def test_bad_arguments_exit_2(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_jsonl(tmp_path / "set.jsonl", [json.dumps(PAIR)])
    status = main(["evaluate", "--data", str(data), *argv])
    assert status == 2
    assert message in capsys.readouterr().err


def test_a_file_without_usable_lines_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_jsonl(tmp_path / "set.jsonl", ["{not json"])
    assert main(["evaluate", "--data", str(data), "--algorithms", "lead"]) == 2
    assert "no usable articles" in capsys.readouterr().err


def test_without_the_eval_extra_it_says_how_to_install_it(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "set.jsonl", [json.dumps(PAIR)])
    # A rouge_score that fails to import, first on the path: as if the extra were not installed.
    hidden = tmp_path / "hidden" / "rouge_score"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text(
        'raise ImportError("rouge_score is hidden by this test")\n', encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "newsbot", "evaluate", "--data", str(data)],
        env={**os.environ, "PYTHONPATH": str(hidden.parent)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "newsbot evaluate: needs rouge-score, which is not installed; "
        "install it with: pip install 'newsbot[eval]'\n"
    )
