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
  feeds.py (feed list and OPML).
- ingest/: parsers per format (seed, jsonl, feeds, page), sources.py (files, streams, format
  detection), compression.py (gzip within a size cap) and writer.py (chunked, all-or-nothing
  writes with story grouping).

Fetching and polling over the network live in the feeds package, which calls storage; storage
never calls it.
"""

from storage.database import default_database_path
from storage.errors import (
    IngestError,
    InvalidTopicError,
    SchemaTooNewError,
    StorageError,
    TopicErrorCode,
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
    "Headline",
    "IngestError",
    "IngestReport",
    "InvalidTopicError",
    "PollReport",
    "RelatedHeadline",
    "SchemaTooNewError",
    "SearchHit",
    "StorageError",
    "Store",
    "TopicErrorCode",
    "default_database_path",
    "normalize_topic",
]
