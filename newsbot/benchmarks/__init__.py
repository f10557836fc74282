"""Benchmarks run by ``newsbot bench NAME``: one module per benchmark, listed in BENCHMARKS.

A benchmark module defines ``DESCRIPTION``, ``add_arguments(parser)`` and ``run(args) -> int``.
To add one (``summary``, ``digest``, ``bot``...), write ``newsbot/benchmarks/<name>.py`` and add
its name here.
"""

from __future__ import annotations

BENCHMARKS: tuple[str, ...] = ("storage", "digest", "faults", "bot", "flood", "feeds")
