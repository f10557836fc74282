"""The newsbot database: the only place with SQL. Typed async functions returning dataclasses."""

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
]
