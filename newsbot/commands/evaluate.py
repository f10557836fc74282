"""`newsbot evaluate`: ROUGE and speed of summarisers on a data set, side by side."""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsbot.commands.summarize import positive_int

if TYPE_CHECKING:
    from summaries.evaluation import Pair

EXIT_USAGE = 2
EXIT_MISSING_EXTRA = 1


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `evaluate` subcommand."""
    parser = subparsers.add_parser(
        "evaluate",
        help="score summarisers with ROUGE on a JSON Lines data set",
        description=(
            "Mean ROUGE-1/2/Lsum F1 (stemmed) and ms/article for each algorithm. Each line of "
            'the data is one JSON object with "text" (the article) and "summary" (the reference '
            'summary, one sentence per line); "title" and "id" are optional.'
        ),
    )
    parser.add_argument(
        "--data", required=True, type=Path, metavar="FILE", help="FILE.jsonl or FILE.jsonl.gz"
    )
    parser.add_argument(
        "--algorithms", default="all", metavar="A,B", help="comma-separated names, or all (default)"
    )
    parser.add_argument(
        "--sentences", type=positive_int, default=3, metavar="N", help="summary length (default: 3)"
    )
    parser.add_argument("--limit", type=positive_int, metavar="N", help="only the first N articles")
    parser.add_argument(
        "--language", metavar="LANG", help="language of the data (default: detect per article)"
    )
    parser.add_argument(
        "--format", choices=("table", "markdown", "json"), default="table", help="(default: table)"
    )
    parser.set_defaults(handler=run)


def _valid_pairs(path: Path) -> Iterator[Pair]:
    from summaries.evaluation import MalformedLine, read_pairs

    for item in read_pairs(path):
        if isinstance(item, MalformedLine):
            print(f"{path}:{item.line_number}: skipped: {item.reason}", file=sys.stderr)
        else:
            yield item


def run(args: argparse.Namespace) -> int:
    """Evaluate and print one row per algorithm."""
    # ROUGE is the only thing the bot itself never needs, so it is an extra, not a dependency.
    try:
        import rouge_score  # noqa: F401
    except ImportError:
        print(
            "newsbot evaluate: needs rouge-score, which is not installed; "
            "install it with: pip install 'newsbot[eval]'",
            file=sys.stderr,
        )
        return EXIT_MISSING_EXTRA
    from tqdm import tqdm

    from summaries import ALGORITHMS
    from summaries.evaluation import evaluate
    from summaries.reporting import format_scores

    names = list(ALGORITHMS) if args.algorithms == "all" else args.algorithms.split(",")
    unknown = [name for name in names if name not in ALGORITHMS]
    if unknown or not names:
        print(
            f"newsbot evaluate: unknown algorithm(s) {', '.join(unknown) or '(none)'}; "
            f"choose from: {', '.join(ALGORITHMS)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not args.data.is_file():
        print(f"newsbot evaluate: no such file: {args.data}", file=sys.stderr)
        return EXIT_USAGE
    pairs = itertools.islice(_valid_pairs(args.data), args.limit)
    progress = tqdm(pairs, total=args.limit, unit="article", disable=not sys.stderr.isatty())
    scores = evaluate(progress, names, sentences=args.sentences, language=args.language)
    if not scores[0].articles:
        print(f"newsbot evaluate: no usable articles in {args.data}", file=sys.stderr)
        return EXIT_USAGE
    print(format_scores(scores, args.format))
    return 0
