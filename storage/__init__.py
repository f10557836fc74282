"""The newsbot database: the only place with SQL. Typed async functions returning dataclasses.

``Store`` (store.py) is the one way in: callers use its parts (``store.chats``,
``store.articles``, ``store.feeds``, ``store.digests``, ...) and never see a connection. Behind
it each module has one job:

- database.py: the connections (one writer behind a lock, pooled readers); migrations.py and
  schema/NNNN_*.sql: the numbered schema steps.
- chats.py, subscriptions.py, access.py (who may use the bot), channels.py (channels managed
  from a private chat), pictures.py (lead images, previews), live.py (delivery as it happens),
  articles.py (reading, search,
  topics, summary cache), related.py (related-headline scoring, with terms.py splitting text
  like the index does),
  feeds.py (feed list and OPML), polling.py (polling due feeds).
- ingest/: parsers per format (seed, jsonl, feeds, page), sources.py (files, streams, format
  detection) and writer.py (chunked, all-or-nothing writes with story grouping).
- fetch.py (HTTP with limits), addresses.py (which hosts may be fetched), web.py
  (``fetch_article`` for a single page).
"""

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
