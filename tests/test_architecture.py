"""Dependencies point one way: newsbot -> bot -> feeds -> storage; summaries stands apart.

Only bot/ talks to Telegram, only feeds/ (and the CLI and bot above it) to the network, only
storage/ to the database; see docs/architecture.md.
"""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import storage

ROOT = Path(__file__).resolve().parent.parent

# The network libraries a fetcher needs; storage and summaries must never need them.
NETWORK = {"httpx", "httpcore", "aiohttp", "urllib3", "requests"}

FORBIDDEN = {
    "summaries": {"telegram", "bot", "feeds", "storage", "newsbot", "aiosqlite"} | NETWORK,
    # storage and feeds raise codes and values; only bot/ words them for readers (gettext, Babel).
    "storage": {"telegram", "bot", "feeds", "summaries", "newsbot", "gettext", "babel"} | NETWORK,
    "feeds": {"telegram", "bot", "newsbot", "aiosqlite", "gettext", "babel"},
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


# The names by which code reaches past the Store's parts to the connections beneath them.
CONNECTION_NAMES = {"database", "_database", "_db", "aiosqlite", "sqlite3"}


def storage_classes_over_a_database() -> set[str]:
    """Every storage class built on the open connections: the Store and its parts."""
    names: set[str] = set()
    for module_info in pkgutil.walk_packages(storage.__path__, "storage."):
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and value.__module__ == module.__name__:
                parameters = inspect.signature(value.__init__).parameters
                if "database" in parameters:
                    names.add(name)
    return names


def storage_access_offences(path: Path, classes: set[str]) -> list[str]:
    """What a module does that only storage may: build a part, touch a connection."""
    offences: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            called = node.func
            name = called.id if isinstance(called, ast.Name) else None
            if isinstance(called, ast.Attribute):
                name = called.attr
            if name in classes:
                offences.append(f"line {node.lineno}: builds {name}")
        elif isinstance(node, ast.Attribute) and node.attr in CONNECTION_NAMES:
            offences.append(f"line {node.lineno}: touches .{node.attr}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            modules = {module} if module else {alias.name for alias in node.names}
            imported = {alias.name for alias in node.names}
            if modules & {"aiosqlite", "sqlite3"} or "Database" in imported:
                offences.append(f"line {node.lineno}: imports {sorted(modules | imported)}")
    return offences


def test_the_store_and_its_parts_are_the_only_way_into_storage() -> None:
    classes = storage_classes_over_a_database()
    assert {"Store", "DigestQueries", "Chats"} <= classes
    offenders = {
        str(path.relative_to(ROOT)): storage_access_offences(path, classes)
        for package in ("bot", "feeds", "newsbot")
        for path in (ROOT / package).rglob("*.py")
    }
    assert {path: found for path, found in offenders.items() if found} == {}


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
        for package in ("bot", "feeds", "storage", "summaries", "newsbot", "emulator")
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
