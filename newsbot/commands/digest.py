"""`newsbot digest` (not implemented yet)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `digest` subcommand."""
    parser = subparsers.add_parser("digest", help="(coming soon)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Placeholder until the command lands."""
    print("newsbot digest: not implemented yet", file=sys.stderr)
    return 1
