"""Schema migrations: numbered SQL steps under ``PRAGMA user_version``, one transaction each."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import aiosqlite

from storage.errors import SchemaTooNewError, StorageError

_LOGGER = logging.getLogger(__name__)

_STEP_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")


@dataclass(frozen=True, slots=True)
class SchemaStep:
    """One numbered migration."""

    version: int
    name: str
    sql: str


def schema_steps() -> tuple[SchemaStep, ...]:
    """All schema steps shipped with this code, in order."""
    steps = []
    for entry in resources.files("storage.schema").iterdir():
        match = _STEP_NAME.match(entry.name)
        if match:
            steps.append(SchemaStep(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    steps.sort(key=lambda step: step.version)
    if [step.version for step in steps] != list(range(1, len(steps) + 1)):
        raise StorageError("schema steps must be numbered 1, 2, 3... without gaps")
    return tuple(steps)


LATEST_VERSION = len(schema_steps())


async def schema_version(connection: aiosqlite.Connection) -> int:
    """The schema version recorded in the database file."""
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(connection: aiosqlite.Connection, *, target: int | None = None) -> int:
    """Apply the missing steps up to ``target`` (default: all) and return the new version."""
    target = LATEST_VERSION if target is None else target
    current = await schema_version(connection)
    if current > LATEST_VERSION:
        raise SchemaTooNewError(
            f"the database has schema version {current}, but this newsbot only knows up to "
            f"{LATEST_VERSION}; upgrade newsbot or use a backup made by this version"
        )
    for step in schema_steps():
        if current < step.version <= target:
            _LOGGER.info("applying schema step %d (%s)", step.version, step.name)
            # One transaction per step, so a failed step leaves the previous version intact.
            script = f"BEGIN IMMEDIATE;\n{step.sql}\nPRAGMA user_version = {step.version};\nCOMMIT;"
            try:
                await connection.executescript(script)
            except Exception:
                if connection.in_transaction:
                    await connection.rollback()
                raise
            current = step.version
    return current
