"""`newsbot bench feeds` runs end to end on a small scale (its rate is not checked here)."""

import pytest

from newsbot.cli import main


def test_the_feeds_benchmark_reports_politeness_and_extraction(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["bench", "feeds", "--feeds", "3", "--items", "2", "--host-delay", "0.01"])
    out = capsys.readouterr().out
    assert "polled 3 feeds (0 failed)" in out and "6 pages extracted, 0 failed" in out
    assert "peak concurrent requests per host 1 (must be 1)" in out
    assert "extraction token F1, mean of 6 pages: 1.000" in out
