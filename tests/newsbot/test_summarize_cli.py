"""`newsbot summarize`: one sentence per line, clear errors, exit 2 on bad input."""

import io
import re
import sys
from pathlib import Path

import pytest

from newsbot.cli import main
from newsbot.commands.summarize import ALGORITHMS_HELP
from summaries import ALGORITHMS

STORY = (
    "Dock workers walked out on Monday over a pay offer they called an insult. "
    "The union said talks with the port employers had failed after six weeks. "
    "Ships are waiting in the bay and some cargo is being sent to other ports. "
    "The employers said they would meet the union again on Thursday."
)


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_prints_one_sentence_per_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    status, out, _ = run_cli(
        ["summarize", "--algorithm", "lead", "--sentences", "2", str(path)], capsys
    )
    assert status == 0
    assert out.splitlines() == [
        "Dock workers walked out on Monday over a pay offer they called an insult.",
        "The union said talks with the port employers had failed after six weeks.",
    ]


def test_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STORY.encode())))
    status, out, _ = run_cli(["summarize", "--sentences", "1", "-"], capsys)
    assert status == 0
    assert len(out.splitlines()) == 1


def test_character_budget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    status, out, _ = run_cli(["summarize", "--max-chars", "160", str(path)], capsys)
    assert status == 0
    assert 0 < len(" ".join(out.splitlines())) <= 160


def test_invalid_utf8_is_read_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(
        STORY.encode() + b" Caf\xe9 owners near the port \xff\xfe lost trade this week."
    )
    status, out, err = run_cli(
        ["summarize", "--algorithm", "lead", "--sentences", "5", str(path)], capsys
    )
    assert status == 0
    assert "not valid UTF-8" in err
    assert out.splitlines()[-1] == "Caf owners near the port lost trade this week."


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["summarize", "--algorithm", "magic"], "unknown algorithm 'magic'"),
        (["summarize", "--language", "klingon"], "supported: czech, english"),
        (["summarize", "missing-file.txt"], "cannot read missing-file.txt"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    argv: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STORY.encode())))
    status, _, err = run_cli(argv, capsys)
    assert status == 2
    assert message in err


@pytest.mark.parametrize("argv", [["--sentences", "0"], ["--sentences", "2", "--max-chars", "100"]])
def test_bad_length_options_are_usage_errors(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["summarize", *argv])
    assert exit_info.value.code == 2


def test_help_names_every_algorithm() -> None:
    assert set(ALGORITHMS) <= set(re.findall(r"[a-z]+(?:-[a-z]+)*", ALGORITHMS_HELP))


def test_a_binary_file_is_refused_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = tmp_path / "program"
    program.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    status, out, err = run_cli(["summarize", str(program)], capsys)
    assert status == 2
    assert out == ""
    assert err.strip() == f"newsbot summarize: {program} is binary data, not text"


@pytest.mark.parametrize("content", ["", "  \n\n\t"])
def test_an_empty_file_is_refused_with_the_reason(
    content: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text(content, encoding="utf-8")
    status, out, err = run_cli(["summarize", str(empty)], capsys)
    assert status == 2
    assert out == ""
    assert err.strip() == f"newsbot summarize: {empty} is empty: there is nothing to summarise"


def test_an_html_page_is_summarised_through_the_extractor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = Path(__file__).resolve().parents[1] / "storage" / "feeds" / "pages" / "chip-plant.html"
    status, out, err = run_cli(["summarize", "--sentences", "2", str(page)], capsys)
    assert status == 0, err
    assert "chipmaker said on Friday it would build a $4 billion plant" in out
    assert "cookie" not in out and "<" not in out


def test_page_junk_never_reaches_a_summary_of_an_html_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = Path(__file__).resolve().parents[1] / "storage" / "feeds" / "pages"
    status, out, err = run_cli(
        ["summarize", "--sentences", "20", str(page / "harbour-bridge.html")], capsys
    )
    assert status == 0, err
    assert "The harbour bridge reopened to traffic on Monday" in out
    for junk in ("dataLayer", "cookies", "Share on", "Photograph", "$1.88", "Advertisement"):
        assert junk not in out
