"""Connections to one SQLite file: a single writer behind a lock, a small pool of readers, and
one connection for lookups by key."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage.errors import StorageError
from storage.migrations import migrate

_LOGGER = logging.getLogger(__name__)

DEFAULT_DATABASE_FILE = "newsbot.db"
BUSY_TIMEOUT_MS = 10_000
# Reader connections. One chat runs one expensive request at a time (the bot's flood guard),
# so a reader flooding digests over broad topics holds one of these for seconds; with three,
# everyone else still has two (issue #17: with two, their /help queued behind the last one).
# Each connection costs memory of its own, so not more (four took the digest benchmark's
# peak RSS from 282 to 295 MB with smaller caches; three: 287 MB).
READERS = 3
# Page cache per connection (KiB). The lookup connection reads a row by its key at a time.
WRITER_CACHE_KIB = 32_000
READER_CACHE_KIB = 10_000
LOOKUP_CACHE_KIB = 2_000


def default_database_path(environ: Mapping[str, str] | None = None) -> Path:
    """The database path from ``NEWSBOT_DB``, or ``./newsbot.db``."""
    env = os.environ if environ is None else environ
    return Path(env.get("NEWSBOT_DB") or DEFAULT_DATABASE_FILE)


async def _connect(path: Path, *, read_only: bool, cache_kib: int) -> aiosqlite.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction spans
    # exactly what the writer says it does.
    connection = await aiosqlite.connect(path, isolation_level=None)
    try:
        await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await connection.execute("PRAGMA foreign_keys = ON")
        await connection.execute(f"PRAGMA cache_size = -{cache_kib}")
        await connection.execute("PRAGMA temp_store = MEMORY")
        if read_only:
            await connection.execute("PRAGMA query_only = ON")
        else:
            await connection.execute("PRAGMA synchronous = NORMAL")
            # Deleted rows are overwritten with zeros, not just unlinked: what a reader asks
            # us to forget (/forget) must not stay readable in free pages of the file.
            await connection.execute("PRAGMA secure_delete = ON")
    except BaseException:
        # aiosqlite runs each connection on its own thread; an unclosed one keeps the
        # process from exiting.
        await connection.close()
        raise
    return connection


class Database:
    """One database file: ``write()`` for a transaction, ``read()`` for a reader connection,
    ``lookup()`` for reading a row by its key.

    Lookups have a connection of their own: the first thing done for every update (which chat
    is this?) never queues behind another reader's long searches and rankings.
    """

    def __init__(
        self,
        writer: aiosqlite.Connection,
        readers: list[aiosqlite.Connection],
        lookup: aiosqlite.Connection,
    ) -> None:
        self._writer = writer
        self._write_lock = asyncio.Lock()
        self._readers = readers
        self._idle_readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for reader in readers:
            self._idle_readers.put_nowait(reader)
        self._lookup = lookup
        self._lookup_lock = asyncio.Lock()

    @classmethod
    async def open(
        cls, path: str | Path, *, readers: int = READERS, create: bool = True
    ) -> Database:
        """Open the file, switch it to WAL and bring the schema up to date.

        With ``create`` a missing file is created, but never its directory: a mistyped path
        must fail, not grow a tree of folders. Without it, a missing file is an error, so a
        mistyped ``NEWSBOT_DB`` is reported instead of read as an empty database.
        """
        path = Path(path)
        _check_openable(path, create=create)
        try:
            # A plain open first: when aiosqlite fails to connect, its worker thread reports
            # back after asyncio.run() may have closed the loop, printing a stray traceback.
            await asyncio.to_thread(_open_and_close, path)
            writer = await _connect(path, read_only=False, cache_kib=WRITER_CACHE_KIB)
        except (OSError, sqlite3.Error) as error:
            raise StorageError(f"cannot open the database {path}: {error}") from error
        opened = [writer]
        try:
            # WAL lets readers go on while the writer writes; it is a property of the file.
            await writer.execute("PRAGMA journal_mode = WAL")
            await migrate(writer)
            for _ in range(readers):
                opened.append(await _connect(path, read_only=True, cache_kib=READER_CACHE_KIB))
            opened.append(await _connect(path, read_only=True, cache_kib=LOOKUP_CACHE_KIB))
        except BaseException as error:
            for connection in opened:
                await connection.close()
            if isinstance(error, sqlite3.DatabaseError):
                raise StorageError(f"cannot use the database {path}: {error}") from error
            raise
        return cls(writer, opened[1:-1], opened[-1])

    async def check_writable(self) -> None:
        """Raise StorageError unless the file takes writes (a read-only file or directory)."""
        try:
            async with self.write() as connection:
                # Rewriting the header is a real write that changes nothing: SQLite only finds
                # a read-only file when it must write a page, not when it opens or begins.
                async with connection.execute("PRAGMA user_version") as cursor:
                    row = await cursor.fetchone()
                assert row is not None
                await connection.execute(f"PRAGMA user_version = {int(row[0])}")
        except StorageError as error:
            # Reworded: nothing was being changed, this only learns that nothing could be.
            raise StorageError(
                f"the database cannot be written ({error.__cause__}); check the permissions "
                "of the file and its directory, and the free disk space"
            ) from error

    async def close(self) -> None:
        """Close every connection."""
        async with self._write_lock:
            try:
                await self._writer.execute("PRAGMA optimize")
            except sqlite3.OperationalError as error:
                # Only an optimisation; a full disk or a read-only file must not keep the
                # connections (and their threads, which block the process's exit) open.
                _LOGGER.info("Skipped PRAGMA optimize on close: %s", error)
            finally:
                await self._writer.close()
                for reader in [*self._readers, self._lookup]:
                    await reader.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: committed on success, rolled back on any exception."""
        async with self._write_lock:
            # IMMEDIATE takes the file's write lock now, so another process's writer waits
            # on the busy timeout here instead of failing half-way through our work.
            try:
                await self._writer.execute("BEGIN IMMEDIATE")
                try:
                    yield self._writer
                    await self._writer.commit()
                except BaseException:
                    await self._writer.rollback()
                    raise
            except sqlite3.OperationalError as error:
                unwritable = _unwritable(error)
                if unwritable is None:
                    raise
                raise unwritable from error

    async def checkpoint(self) -> bool:
        """Copy the WAL into the file and empty it; False when a reader kept it from finishing.

        The WAL keeps old versions of pages until it is reset, deleted text included.
        """
        try:
            async with (
                self._write_lock,
                self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor,
            ):
                row = await cursor.fetchone()
        except sqlite3.OperationalError as error:
            # What was deleted is deleted; only its old copies wait for a later checkpoint.
            _LOGGER.warning("WAL checkpoint failed: %s", error)
            return False
        if row is not None and row[0] != 0:
            _LOGGER.warning("WAL checkpoint incomplete: a reader was busy")
            return False
        return True

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """A reader connection for the duration of the block."""
        reader = await self._idle_readers.get()
        try:
            yield reader
        finally:
            self._idle_readers.put_nowait(reader)

    @asynccontextmanager
    async def lookup(self) -> AsyncIterator[aiosqlite.Connection]:
        """The lookup connection, for reading rows by key: a block holds it for one query."""
        async with self._lookup_lock:
            yield self._lookup


def _open_and_close(path: Path) -> None:
    sqlite3.connect(path).close()


def _check_openable(path: Path, *, create: bool) -> None:
    """Refuse, with what to fix, a path SQLite would fail on with a less helpful message."""
    if path.is_dir():
        raise StorageError(f"{path} is a directory, not a database file")
    if path.exists():
        return
    if not create:
        raise StorageError(f"no database at {path} (check NEWSBOT_DB or --db)")
    if not path.parent.is_dir():
        raise StorageError(f"cannot create the database {path}: no directory {path.parent}")


def _unwritable(error: sqlite3.OperationalError) -> StorageError | None:
    """A clear StorageError when the file cannot take writes (disk full, read-only), else None."""
    name = getattr(error, "sqlite_errorname", "")
    if name.startswith("SQLITE_FULL"):
        return StorageError(
            "the database is full (no disk space left, or its size limit reached); "
            "nothing of this change was stored. Free some space and try again."
        )
    if name.startswith("SQLITE_READONLY"):
        return StorageError(
            "the database file is read-only; nothing of this change was stored. "
            "Check the permissions of the file and its directory."
        )
    return None
