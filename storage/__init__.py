"""The newsbot database: the only place with SQL. Typed async functions returning dataclasses."""

from storage.database import default_database_path
from storage.errors import (
    FetchError,
    IngestError,
    InvalidTopicError,
    ResponseTooLargeError,
    SchemaTooNewError,
    StorageError,
    UnsafeAddressError,
)
from storage.models import (
    Article,
    Chat,
    Feed,
    Headline,
    IngestReport,
    PollReport,
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
    "FetchError",
    "Headline",
    "IngestError",
    "IngestReport",
    "InvalidTopicError",
    "PollReport",
    "RelatedHeadline",
    "ResponseTooLargeError",
    "SchemaTooNewError",
    "SearchHit",
    "StorageError",
    "Store",
    "UnsafeAddressError",
    "default_database_path",
    "normalize_topic",
]
