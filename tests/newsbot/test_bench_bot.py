"""`newsbot bench bot` runs end to end on a small scale (its timings are not checked here)."""

import pytest

from newsbot.cli import main


def test_the_bot_benchmark_reports_each_measure(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "bot", "--samples", "3", "--concurrent", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" n=")[0].strip() for line in lines[1:]] == [
        "/summary uncached",
        "/summary cached",
        "/help during 4 /summary",
    ]
