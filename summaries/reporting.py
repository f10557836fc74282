"""Evaluation results as a plain table, a Markdown table or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from summaries.evaluation import Score

FORMATS = ("table", "markdown", "json")
_BASELINE = "text-rank"
_HEADERS = ("algorithm", "ROUGE-1", "ROUGE-2", "ROUGE-Lsum", "ms/article", "× text-rank")


def _rows(scores: Sequence[Score]) -> list[tuple[str, ...]]:
    baseline = next((score.milliseconds for score in scores if score.algorithm == _BASELINE), None)
    return [
        (
            score.algorithm,
            f"{score.rouge1:.2f}",
            f"{score.rouge2:.2f}",
            f"{score.rouge_lsum:.2f}",
            f"{score.milliseconds:.1f}",
            f"{score.milliseconds / baseline:.2f}" if baseline else "-",
        )
        for score in scores
    ]


def format_scores(scores: Sequence[Score], output_format: str) -> str:
    """Render ``scores`` as ``table``, ``markdown`` or ``json`` (F1 in percent)."""
    if output_format == "json":
        return json.dumps([asdict(score) for score in scores], indent=2)
    rows = [_HEADERS, *_rows(scores)]
    if output_format == "markdown":
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        lines.insert(
            1, "|" + "|".join(":---" if i == 0 else "---:" for i in range(len(_HEADERS))) + "|"
        )
        return "\n".join(lines)
    widths = [max(len(row[column]) for row in rows) for column in range(len(_HEADERS))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )
