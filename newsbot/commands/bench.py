"""`newsbot bench NAME`: run a benchmark from newsbot.benchmarks (or `all` of them)."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from newsbot.benchmarks import BENCHMARKS


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `bench` subcommand with one sub-subcommand per benchmark."""
    parser = subparsers.add_parser(
        "bench", help="measure speed", description="Run a benchmark and print its figures."
    )
    benchmarks = parser.add_subparsers(dest="benchmark", metavar="BENCHMARK", required=True)
    for name in BENCHMARKS:
        module = importlib.import_module(f"newsbot.benchmarks.{name}")
        sub = benchmarks.add_parser(
            name, help=module.DESCRIPTION, description=(module.__doc__ or "").replace("``", "")
        )
        module.add_arguments(sub)
        sub.set_defaults(handler=module.run)
    everything = benchmarks.add_parser(
        "all",
        help="run every benchmark with its defaults",
        description=f"Run every benchmark ({', '.join(BENCHMARKS)}) with its default options; "
        "the exit status is 1 when any of them misses a target.",
    )
    everything.set_defaults(handler=run_all)


def run_all(args: argparse.Namespace) -> int:
    """Run every benchmark with default options; the worst exit status wins."""
    status = 0
    for name in BENCHMARKS:
        module = importlib.import_module(f"newsbot.benchmarks.{name}")
        parser = argparse.ArgumentParser(prog=f"newsbot bench {name}")
        module.add_arguments(parser)
        status = max(status, int(module.run(parser.parse_args([]))))
    return status
