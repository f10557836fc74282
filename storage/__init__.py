"""The newsbot database: the only place with SQL. Typed async functions returning dataclasses."""

from storage.database import default_database_path
from storage.errors import IngestError, InvalidTopicError, SchemaTooNewError, StorageError
from storage.models import (
    Article,
    Chat,
    Feed,
    Headline,
    IngestReport,
    RelatedHeadline,
    SearchHit,
)
from storage.store import UNSET, Store
from storage.topics import normalize_topic

__all__ = [
    "UNSET",
    "Article",
    "Chat",
    "Feed",
    "Headline",
    "IngestError",
    "IngestReport",
    "InvalidTopicError",
    "RelatedHeadline",
    "SchemaTooNewError",
    "SearchHit",
    "StorageError",
    "Store",
    "default_database_path",
    "normalize_topic",
]
