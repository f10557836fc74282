"""The Store: the one way into the newsbot database, opened once and split into parts.

Each part owns its tables and their SQL; callers never see a connection:

- ``chats``: chats and every preference of theirs (one ``Chat``, one ``update``);
- ``subscriptions``: each chat's topics and topic expressions;
- ``articles``: ingesting, reading, search, related headlines, the summary cache;
- ``feeds``: the polled feeds, their poll state and health;
- ``digests``: digest schedules, candidates, plans and the delivery log;
- ``controls``: a reader's muted words and chosen sources;
- ``live``: delivery as it happens (modes, quiet hours, the queue);
- ``channels``: channels managed from a private chat;
- ``access``: who may use the bot;
- ``pictures``: lead images and the previews setting.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Self

from storage.access import AccessList
from storage.articles import Articles
from storage.channels import ChannelSessions
from storage.chats import UNSET, Chats
from storage.database import Database
from storage.digests import DigestQueries
from storage.feeds import Feeds
from storage.live import LiveQueries
from storage.maintenance import DatabaseStats, collect_stats, integrity_problems
from storage.pictures import Pictures
from storage.reader_controls import ReaderControls
from storage.subscriptions import Subscriptions

__all__ = ["UNSET", "Store"]


class Store:
    """One open database. Create with ``await Store.open(path)``; close with ``await close()``."""

    def __init__(self, database: Database, path: Path) -> None:
        self._database = database
        self.path = path
        self.chats = Chats(database)
        self.subscriptions = Subscriptions(database)
        self.articles = Articles(database)
        self.feeds = Feeds(database)
        self.digests = DigestQueries(database)
        self.controls = ReaderControls(database)
        self.live = LiveQueries(database)
        self.channels = ChannelSessions(database)
        self.access = AccessList(database)
        self.pictures = Pictures(database)

    @classmethod
    async def open(cls, path: str | Path, *, create: bool = True) -> Store:
        """Open (migrating as needed) the database at ``path``; only ``create`` makes a new one."""
        return cls(await Database.open(path, create=create), Path(path))

    async def close(self) -> None:
        """Close the connections."""
        await self._database.close()
        self.articles.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def check_writable(self) -> None:
        """Raise StorageError unless a write can be committed (full disk, read-only file)."""
        await self._database.check_writable()

    async def integrity_problems(self) -> list[str]:
        """What SQLite's integrity check finds wrong with the file (empty when healthy)."""
        return await integrity_problems(self._database)

    async def stats(self, now: datetime) -> DatabaseStats:
        """Counts of what the database holds, for operators."""
        return await collect_stats(self._database, now)
