"""Small helpers shared by benchmarks: timing samples and percentiles."""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Timings:
    """Durations of repeated runs, in milliseconds."""

    name: str
    milliseconds: tuple[float, ...]

    def percentile(self, fraction: float) -> float:
        """The value below which ``fraction`` of the samples lie (nearest rank)."""
        ordered = sorted(self.milliseconds)
        return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]

    def line(self, limit_ms: float | None = None) -> str:
        """One report line: median, p95, max, and whether p95 is within the limit."""
        p95 = self.percentile(0.95)
        verdict = ""
        if limit_ms is not None:
            verdict = f"  {'ok' if p95 < limit_ms else 'SLOW'} (limit {limit_ms:g} ms)"
        return (
            f"{self.name:<28} n={len(self.milliseconds):<4} "
            f"median {statistics.median(self.milliseconds):7.2f} ms  p95 {p95:7.2f} ms  "
            f"max {max(self.milliseconds):7.2f} ms{verdict}"
        )


async def time_each(
    name: str, inputs: Sequence[T], action: Callable[[T], Awaitable[object]]
) -> Timings:
    """Run ``action`` once per input and time each run."""
    samples = []
    for value in inputs:
        started = time.perf_counter()
        await action(value)
        samples.append((time.perf_counter() - started) * 1000)
    return Timings(name, tuple(samples))


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_in_workdir(
    bench: Callable[[argparse.Namespace, Path], Coroutine[Any, Any, int]],
    args: argparse.Namespace,
    *,
    prefix: str,
) -> int:
    """Run ``bench`` in ``args.workdir`` (kept) or in a temporary directory (deleted after)."""
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return asyncio.run(bench(args, args.workdir))
    with tempfile.TemporaryDirectory(prefix=prefix) as directory:
        return asyncio.run(bench(args, Path(directory)))
