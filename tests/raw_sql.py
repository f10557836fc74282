"""Raw SQL for tests that check what no part of the Store offers (pragmas, shifted clocks)."""

from storage import Store
from storage.database import Database


def connections(store: Store) -> Database:
    """The connections beneath ``store``: storage's own business, reached here by tests only."""
    return store._database
