"""The documentation a new user reads stays true to the code."""

import argparse
import re
from pathlib import Path

from newsbot.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
_VARIABLE = re.compile(r"\"((?:NEWSBOT|TELEGRAM)_[A-Z_]+)\"")


def variables_read_by_the_code() -> set[str]:
    return {
        name
        for package in ("bot", "feeds", "storage", "summaries", "newsbot", "emulator")
        for path in (ROOT / package).rglob("*.py")
        for name in _VARIABLE.findall(path.read_text(encoding="utf-8"))
    }


def test_env_example_lists_every_variable_the_code_reads() -> None:
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert variables_read_by_the_code() <= listed


def test_readme_configuration_table_lists_every_variable() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, re.MULTILINE))
    assert variables_read_by_the_code() <= documented


def test_readme_starts_with_the_two_commands_a_new_user_types() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert [line.split()[:2] for line in first_block.strip("sh\n").splitlines()] == [
        ["make", "demo"],
        ["make", "test"],
    ]


def test_every_subcommand_the_readme_names_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`newsbot ([a-z]+)", readme))
    subcommands = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    known = set(subcommands.choices)
    assert named <= known
