"""Dependencies point one way: newsbot -> bot -> feeds -> storage; summaries stands apart.

Only bot/ talks to Telegram, only feeds/ (and the CLI and bot above it) to the network, only
storage/ to the database; see docs/architecture.md.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The network libraries a fetcher needs; storage and summaries must never need them.
NETWORK = {"httpx", "httpcore", "aiohttp", "urllib3", "requests"}

FORBIDDEN = {
    "summaries": {"telegram", "bot", "feeds", "storage", "newsbot", "aiosqlite"} | NETWORK,
    "storage": {"telegram", "bot", "feeds", "summaries", "newsbot"} | NETWORK,
    "feeds": {"telegram", "bot", "newsbot", "aiosqlite"},
    "emulator": {"telegram", "bot", "feeds", "summaries", "storage"},
    "bot": {"newsbot"},
}


def imported_top_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_its_layer_allows(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_top_level_names(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}
