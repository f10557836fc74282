"""Dependencies point one way: bot -> summaries, storage; the two domain packages stay apart."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "summaries": {"telegram", "bot", "storage", "newsbot", "aiosqlite", "httpx", "aiohttp"},
    "storage": {"telegram", "bot", "summaries", "newsbot"},
    "emulator": {"telegram", "bot", "summaries", "storage"},
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


def test_digests_do_not_import_the_handlers_that_answer_them() -> None:
    # bot.handlers imports the digest package (for /digest); the other way would be a cycle,
    # which once forced an import inside a function.
    offenders = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "bot" / "digests").rglob("*.py")
        if any(
            isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot.handlers")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    }
    assert offenders == set()


def test_every_module_logger_has_one_name() -> None:
    # One spelling, so a reader (and grep) finds a module's logger the same way everywhere.
    names = {
        f"{path.relative_to(ROOT)}: {target.id}"
        for package in ("bot", "storage", "summaries", "newsbot", "emulator")
        for path in (ROOT / package).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func) == "logging.getLogger"
        and node.value.args
        for target in node.targets
        if isinstance(target, ast.Name) and target.id != "_LOGGER"
    }
    assert names == set()
